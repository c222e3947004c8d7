// Debian's Chromium, never a downloaded one. CHROMIUM overrides the path.
// Flags for running as root in a closed network (see shared/TESTING.md). Playwright gives every
// launch a fresh temporary profile (--user-data-dir) and adds --enable-unsafe-swiftshader itself.
const COMMON = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--enable-unsafe-swiftshader',
];

/** Launch options; without `webgpu` the page must fall back to the CPU. */
export function launchOptions({ webgpu }) {
  return {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: webgpu ? [...COMMON, '--enable-unsafe-webgpu'] : COMMON,
  };
}
