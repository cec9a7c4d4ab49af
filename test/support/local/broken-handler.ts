/** A handler module whose initialisation fails (as a bad configuration would make lambda/handler.ts fail). */
throw new Error('BUCKET_NAME is required (fixture init failure)');
