/**
 * Every external program or package a test suite needs, in one list: how each is found on this machine and how
 * to install it on Debian/Ubuntu and on macOS (Homebrew). Suites name what they need through require-tools.ts;
 * the support code that starts a browser or a player asks `toolPath` here for the executable, so detection and
 * launching never disagree. .ci/run installs every Debian package named here (checked by its unit test).
 */
import { findRuntimeClient, RIC_INSTALL_COMMAND } from '../../../local/runtimes/aws-ric/client-package.ts';
import {
  allOnPath,
  type Detection,
  type ExecutableLookup,
  findExecutable,
  probe,
  type ToolEnv,
  whichOnPath,
} from './detect.ts';

export type MacInstall =
  | {
      readonly brew?: readonly string[];
      readonly cask?: readonly string[];
      /** A command to run after the Homebrew installs, or a note. */
      readonly after?: string;
    }
  | { readonly unavailable: string };

export interface InstallHint {
  readonly debian: { readonly packages: readonly string[]; readonly after?: string };
  readonly macos: MacInstall;
}

export interface Requirement {
  /** What messages call it: an executable's name, a GStreamer element, a package. */
  readonly name: string;
  readonly install: InstallHint;
  detect(env: ToolEnv): Detection;
}

const WEBKITGTK_NOT_ON_MAC = 'WebKitGTK does not exist on macOS: this suite only runs on Linux';

function executable(lookup: ExecutableLookup, install: InstallHint): Requirement {
  return {
    name: lookup.names[0] ?? lookup.overrideVar ?? 'executable',
    install,
    detect: (env) => findExecutable(lookup, env),
  };
}

export const CHROMIUM = executable(
  {
    names: ['chromium', 'chromium-browser'],
    overrideVar: 'CHROMIUM_PATH',
    fixedPaths: ['/Applications/Chromium.app/Contents/MacOS/Chromium'],
  },
  {
    debian: { packages: ['chromium'] },
    macos: { cask: ['chromium'], after: 'or set CHROMIUM_PATH to an installed Chrome or Chromium executable' },
  },
);

export const FIREFOX = executable(
  {
    names: ['firefox-esr', 'firefox'],
    overrideVar: 'FIREFOX_PATH',
    fixedPaths: ['/Applications/Firefox.app/Contents/MacOS/firefox'],
  },
  { debian: { packages: ['firefox-esr'] }, macos: { cask: ['firefox'] } },
);

const webkitInstall = (packages: readonly string[]): InstallHint => ({
  debian: { packages },
  macos: { unavailable: WEBKITGTK_NOT_ON_MAC },
});

export const WEBKIT_WEBDRIVER = executable({ names: ['WebKitWebDriver'] }, webkitInstall(['webkit2gtk-driver']));

/** Shipped by libwebkit2gtk-4.1-0 (a dependency of webkit2gtk-driver) outside PATH, under the multiarch libdir. */
export const MINIBROWSER = executable(
  {
    names: ['MiniBrowser'],
    overrideVar: 'MINIBROWSER_PATH',
    fixedPaths: ['x86_64-linux-gnu', 'aarch64-linux-gnu'].map(
      (triplet) => `/usr/lib/${triplet}/webkit2gtk-4.1/MiniBrowser`,
    ),
  },
  webkitInstall(['webkit2gtk-driver']),
);

export const XVFB_RUN = executable({ names: ['xvfb-run'] }, webkitInstall(['xvfb']));
export const XVFB = executable({ names: ['Xvfb'] }, webkitInstall(['xvfb']));
/** xvfb-run hands the display's cookie to the driver through xauth. */
export const XAUTH = executable({ names: ['xauth'] }, webkitInstall(['xauth']));

export const FFMPEG = executable(
  { names: ['ffmpeg'] },
  { debian: { packages: ['ffmpeg'] }, macos: { brew: ['ffmpeg'] } },
);
export const FFPROBE = executable(
  { names: ['ffprobe'] },
  { debian: { packages: ['ffmpeg'] }, macos: { brew: ['ffmpeg'] } },
);

/** Homebrew's gstreamer formula carries the tools and the base, good, bad, ugly and libav plugin sets. */
const gstreamerInstall = (debianPackage: string): InstallHint => ({
  debian: { packages: [debianPackage] },
  macos: { brew: ['gstreamer'] },
});

export const GST_LAUNCH = executable({ names: ['gst-launch-1.0'] }, gstreamerInstall('gstreamer1.0-tools'));
export const GST_INSPECT = executable({ names: ['gst-inspect-1.0'] }, gstreamerInstall('gstreamer1.0-tools'));
export const GST_DISCOVERER = executable(
  { names: ['gst-discoverer-1.0'] },
  gstreamerInstall('gstreamer1.0-plugins-base-apps'),
);

/**
 * A GStreamer element (a plugin feature), checked with `gst-inspect-1.0 --exists`, which exits 0 only when the
 * registry has it. `debianPackage` is the plugin set that ships it (gstreamer1.0-plugins-good, ...).
 */
export function gstElement(element: string, debianPackage: string): Requirement {
  return {
    name: `GStreamer element ${element}`,
    install: gstreamerInstall(debianPackage),
    detect(env) {
      const inspect = whichOnPath(['gst-inspect-1.0'], env);
      if (inspect === undefined) {
        return { found: false, reason: 'gst-inspect-1.0 (gstreamer1.0-tools) not found on PATH to look for it' };
      }
      const result = probe(inspect, ['--exists', element], env);
      return result.ok
        ? { found: true, path: inspect }
        : { found: false, reason: `\`gst-inspect-1.0 --exists ${element}\` says it is not installed` };
    },
  };
}

const PYTHON_GST_CHECK = "import gi; gi.require_version('Gst', '1.0'); from gi.repository import Gst";

/**
 * A python3 that can `import gi` and load GStreamer's introspection data (GIR), as gst-seek.py does: the first
 * on PATH that can, else `fallback` (/usr/bin/python3). Debian's python3-gi installs for the system interpreter only, which a
 * pyenv or virtualenv python3 earlier on PATH does not see.
 */
export function pythonGst(fallback: string): Requirement {
  return {
    name: 'python3 with PyGObject (gi) and GStreamer GIR',
    install: {
      debian: { packages: ['python3', 'python3-gi', 'gir1.2-gstreamer-1.0'] },
      macos: { brew: ['python', 'pygobject3', 'gstreamer'] },
    },
    detect(env) {
      const candidates = [...new Set([...allOnPath('python3', env), fallback])].filter(
        (path) => findExecutable({ names: [], fixedPaths: [path] }, env).found,
      );
      if (candidates.length === 0) return { found: false, reason: `python3 not found on PATH nor at ${fallback}` };
      const failures: string[] = [];
      for (const python of candidates) {
        const result = probe(python, ['-c', PYTHON_GST_CHECK], env);
        if (result.ok) return { found: true, path: python };
        failures.push(`${python}: ${result.detail}`);
      }
      return { found: false, reason: failures.join('; ') };
    },
  };
}

export const PYTHON_GST = pythonGst('/usr/bin/python3');

export const CURL = executable({ names: ['curl'] }, { debian: { packages: ['curl'] }, macos: { brew: ['curl'] } });
export const WGET = executable({ names: ['wget'] }, { debian: { packages: ['wget'] }, macos: { brew: ['wget'] } });
export const ARIA2C = executable(
  { names: ['aria2c'] },
  { debian: { packages: ['aria2'] }, macos: { brew: ['aria2'] } },
);

/**
 * AWS's runtime interface client (npm aws-lambda-ric), found as local/runtimes/aws-ric/client-package.ts finds it. Its install
 * builds aws-lambda-cpp, which refuses to build on macOS: https://github.com/awslabs/aws-lambda-cpp/issues/52
 */
export const AWS_LAMBDA_RIC: Requirement = {
  name: 'aws-lambda-ric (npm, AWS runtime interface client)',
  install: {
    debian: { packages: ['cmake', 'make', 'g++', 'python3', 'xz-utils'], after: RIC_INSTALL_COMMAND },
    macos: {
      unavailable:
        'aws-lambda-ric builds aws-lambda-cpp, which does not build on macOS (https://github.com/awslabs/aws-lambda-cpp/issues/52): this run only happens on Linux',
    },
  },
  detect() {
    try {
      return { found: true, path: findRuntimeClient().entry };
    } catch (error) {
      return { found: false, reason: error instanceof Error ? error.message : String(error) };
    }
  },
};

/** What each kind of suite needs, so suites and support code name the same set. */
export const WEBKITGTK: readonly Requirement[] = [WEBKIT_WEBDRIVER, MINIBROWSER, XVFB_RUN, XVFB, XAUTH];

/** The elements the GStreamer suite's samples go through: HTTP source, demuxers, parsers, decoders, playbin. */
export const GSTREAMER_PLAYBACK: readonly Requirement[] = [
  GST_LAUNCH,
  GST_DISCOVERER,
  gstElement('souphttpsrc', 'gstreamer1.0-plugins-good'),
  gstElement('decodebin', 'gstreamer1.0-plugins-base'),
  gstElement('playbin', 'gstreamer1.0-plugins-base'),
  gstElement('qtdemux', 'gstreamer1.0-plugins-good'),
  gstElement('matroskademux', 'gstreamer1.0-plugins-good'),
  gstElement('mpegaudioparse', 'gstreamer1.0-plugins-good'),
  gstElement('avdec_h264', 'gstreamer1.0-libav'),
  gstElement('avdec_aac', 'gstreamer1.0-libav'),
];

/** Everything above: what .ci/run must install. */
export const ALL_REQUIREMENTS: readonly Requirement[] = [
  CHROMIUM,
  FIREFOX,
  ...WEBKITGTK,
  FFMPEG,
  FFPROBE,
  GST_INSPECT,
  ...GSTREAMER_PLAYBACK,
  PYTHON_GST,
  CURL,
  WGET,
  ARIA2C,
  AWS_LAMBDA_RIC,
];

const detected = new Map<Requirement, Detection>();

/** `requirement.detect(process.env)`, once per process: the environment of a test run does not change. */
export function detectOnce(requirement: Requirement): Detection {
  let detection = detected.get(requirement);
  if (detection === undefined) {
    detection = requirement.detect(process.env);
    detected.set(requirement, detection);
  }
  return detection;
}

export class MissingToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingToolError';
    // No stack: the message says everything, and where the gate threw (always require-tools.ts) would only
    // repeat it (jest prints the message, then the stack).
    this.stack = '';
  }
}

/** The executable (or entry point) of a requirement, for the code that launches it. */
export function toolPath(requirement: Requirement): string {
  const detection = detectOnce(requirement);
  if (!detection.found) throw new MissingToolError(`${requirement.name}: ${detection.reason}`);
  return detection.path;
}
