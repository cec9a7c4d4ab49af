// Preloaded (NODE_OPTIONS --import) into the profiled cold start only: the runtime client has no SIGTERM
// handler, and a process killed by a signal never writes its --cpu-prof profile; process.exit() does.
process.once('SIGTERM', () => process.exit(0));
