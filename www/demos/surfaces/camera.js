// The 3-D view's camera as plain matrix arithmetic (column-major 4 × 4, as WebGL takes them):
// the surface sits in the box [-1, 1] × [0, 1] × [-1, 1] (y up) and the camera circles it.

/** A perspective projection: vertical field of view `fovy` (radians), near and far planes. */
export function perspective(fovy, aspect, near, far) {
  const f = 1 / Math.tan(fovy / 2);
  const nf = 1 / (near - far);
  return Float32Array.of(f / aspect, 0, 0, 0, 0, f, 0, 0, 0, 0, (far + near) * nf, -1, 0, 0, 2 * far * near * nf, 0);
}

/** The view matrix of a camera at `eye` looking at `target`, y up. */
export function lookAt(eye, target) {
  const z = normalise(eye.map((v, i) => v - target[i]));
  const x = normalise(cross([0, 1, 0], z));
  const y = cross(z, x);
  const t = (axis) => -dot(axis, eye);
  return Float32Array.of(x[0], y[0], z[0], 0, x[1], y[1], z[1], 0, x[2], y[2], z[2], 0, t(x), t(y), t(z), 1);
}

/** a · b. */
export function multiply(a, b) {
  const out = new Float32Array(16);
  for (let col = 0; col < 4; col++) for (let row = 0; row < 4; row++) for (let k = 0; k < 4; k++) out[col * 4 + row] += a[k * 4 + row] * b[col * 4 + k];
  return out;
}

/** Where the camera circling at `azimuth` (radians about y) and `elevation` sits, `distance` from the box's centre. */
export function orbit(azimuth, elevation, distance) {
  return [distance * Math.cos(elevation) * Math.sin(azimuth), 0.3 + distance * Math.sin(elevation), distance * Math.cos(elevation) * Math.cos(azimuth)];
}

/** `matrix` applied to the point [x, y, z]: clip coordinates divided by w (normalised device coordinates). */
export function project(matrix, [x, y, z]) {
  const out = [0, 1, 2, 3].map((row) => matrix[row] * x + matrix[4 + row] * y + matrix[8 + row] * z + matrix[12 + row]);
  return [out[0] / out[3], out[1] / out[3], out[2] / out[3]];
}

function cross(a, b) {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function dot(a, b) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function normalise(v) {
  const n = Math.hypot(...v);
  return v.map((c) => c / n);
}
