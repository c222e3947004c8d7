// The 3-D view (WebGL2): the surface as a lit mesh, its height and colour on the same scale as the
// map's, with the paths drawn on it up to the animation's step and a point at each head. Dragging
// turns the camera about the surface. `SurfaceMesh.supported()` says whether the browser can.
import { rampColour } from '../../colour.js';
import { h } from '../../dom.js';
import { reached } from './animation.js';
import { lookAt, multiply, orbit, perspective } from './camera.js';

// The mesh's height in the box: its values' scale maps onto [0, HEIGHT].
const HEIGHT = 0.7;
// Paths float this far above the mesh, so the surface does not hide them.
const LIFT = 0.012;

const VERTEX = `#version 300 es
in vec3 position;
in vec3 colour;
uniform mat4 matrix;
uniform float pointSize;
out vec3 shade;
void main() {
  gl_Position = matrix * vec4(position, 1.0);
  gl_PointSize = pointSize;
  shade = colour;
}`;

const FRAGMENT = `#version 300 es
precision mediump float;
in vec3 shade;
out vec4 colour;
void main() {
  colour = vec4(shade, 1.0);
}`;

export class SurfaceMesh {
  /** Whether WebGL2 is there (headless browsers and old ones may lack it). */
  static supported() {
    try {
      return Boolean(document.createElement('canvas').getContext('webgl2'));
    } catch {
      return false;
    }
  }

  constructor({ testid }) {
    this.canvas = h('canvas', { class: 'map-layer' });
    this.element = h('div', { class: 'surface-map surface-mesh', 'data-testid': testid }, this.canvas);
    this.gl = this.canvas.getContext('webgl2', { antialias: true });
    this.program = program(this.gl, VERTEX, FRAGMENT);
    this.buffers = { mesh: this.gl.createBuffer(), index: this.gl.createBuffer(), lines: this.gl.createBuffer() };
    this.camera = { azimuth: -0.6, elevation: 0.6 };
    this.mesh = null;
    this.paths = [];
    this.step = 0;
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(this.element);
    this.listen();
  }

  /** The grid (with its plane ranges), the scale and colour ramp the map uses. */
  setSurface(grid, scale, ramp) {
    const { nx, ny, values } = grid;
    const height = (i, j) => HEIGHT * (scale && Number.isFinite(values[j * nx + i]) ? scale.unit(values[j * nx + i]) : 1);
    // Per vertex: position (x, height, z) and colour, lit by a light from above and behind the camera's start.
    const data = new Float32Array(nx * ny * 6);
    const light = [-0.4, 0.8, 0.45];
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const y = height(i, j);
        const dx = (height(Math.min(nx - 1, i + 1), j) - height(Math.max(0, i - 1), j)) / (4 / (nx - 1));
        const dz = (height(i, Math.min(ny - 1, j + 1)) - height(i, Math.max(0, j - 1))) / (4 / (ny - 1));
        // The box's z runs against the plane's y (so y grows away from a camera in front).
        const normal = [-dx, 1, dz];
        const lit = 0.55 + 0.45 * Math.max(0, (normal[0] * light[0] + normal[1] * light[1] + normal[2] * light[2]) / Math.hypot(...normal));
        const v = values[j * nx + i];
        const rgb = scale && Number.isFinite(v) ? Array.from(rampColour(ramp, scale.unit(v)), (c) => c / 255) : [0.6, 0.6, 0.6];
        data.set([(2 * i) / (nx - 1) - 1, y, 1 - (2 * j) / (ny - 1), ...rgb.map((c) => c * lit)], (j * nx + i) * 6);
      }
    }
    const indices = new Uint32Array((nx - 1) * (ny - 1) * 6);
    let n = 0;
    for (let j = 0; j < ny - 1; j++) {
      for (let i = 0; i < nx - 1; i++) {
        const a = j * nx + i;
        indices.set([a, a + 1, a + nx, a + 1, a + nx + 1, a + nx], n);
        n += 6;
      }
    }
    const { gl } = this;
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.mesh);
    gl.bufferData(gl.ARRAY_BUFFER, data, gl.STATIC_DRAW);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.buffers.index);
    gl.bufferData(gl.ELEMENT_ARRAY_BUFFER, indices, gl.STATIC_DRAW);
    this.mesh = { grid, scale, count: indices.length };
    this.draw();
  }

  /** Paths as the map takes them ([{ x, y, loss, color }]), from step 0. */
  setPaths(paths) {
    this.paths = paths;
    this.step = 0;
    this.draw();
  }

  drawTo(position) {
    this.step = reached(position);
    this.draw();
  }

  destroy() {
    this.resize.disconnect();
    this.gl.getExtension('WEBGL_lose_context')?.loseContext();
  }

  fit() {
    const ratio = globalThis.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.element.clientWidth * ratio);
    this.canvas.height = Math.round(this.element.clientHeight * ratio);
    this.draw();
  }

  // Where a path's point sits in the box, or null outside the grid's part of the plane.
  toBox([x, y], loss) {
    const { grid, scale } = this.mesh;
    const u = (x - grid.x[0]) / (grid.x[1] - grid.x[0]);
    const v = (y - grid.y[0]) / (grid.y[1] - grid.y[0]);
    if (!(u >= 0 && u <= 1 && v >= 0 && v <= 1) || !Number.isFinite(loss)) return null;
    return [2 * u - 1, HEIGHT * (scale ? scale.unit(loss) : 0) + LIFT, 1 - 2 * v];
  }

  // Each path's segments up to the step (both ends in the box), then its head; colours per vertex.
  lineData() {
    const lines = [];
    const heads = [];
    for (const path of this.paths) {
      const rgb = hexColour(path.color);
      const head = Math.min(this.step, path.x.length - 1);
      let prev = this.toBox([path.x[0], path.y[0]], path.loss[0]);
      for (let t = 1; t <= head; t++) {
        const point = this.toBox([path.x[t], path.y[t]], path.loss[t]);
        if (prev && point) lines.push(...prev, ...rgb, ...point, ...rgb);
        prev = point;
      }
      const end = this.toBox([path.x[head], path.y[head]], path.loss[head]);
      if (end) heads.push(...end, ...rgb);
    }
    return { lines: Float32Array.from(lines), heads: Float32Array.from(heads) };
  }

  draw() {
    const { gl } = this;
    if (!this.mesh || !this.canvas.width) return;
    gl.viewport(0, 0, this.canvas.width, this.canvas.height);
    gl.clearColor(1, 1, 1, 1);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
    gl.enable(gl.DEPTH_TEST);
    gl.useProgram(this.program);
    const eye = orbit(this.camera.azimuth, this.camera.elevation, 3.2);
    const matrix = multiply(perspective(0.75, this.canvas.width / this.canvas.height, 0.1, 20), lookAt(eye, [0, 0.25, 0]));
    gl.uniformMatrix4fv(gl.getUniformLocation(this.program, 'matrix'), false, matrix);
    gl.uniform1f(gl.getUniformLocation(this.program, 'pointSize'), 7 * (globalThis.devicePixelRatio || 1));
    this.attributes(this.buffers.mesh);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, this.buffers.index);
    gl.drawElements(gl.TRIANGLES, this.mesh.count, gl.UNSIGNED_INT, 0);
    const { lines, heads } = this.lineData();
    gl.bindBuffer(gl.ARRAY_BUFFER, this.buffers.lines);
    if (lines.length) {
      gl.bufferData(gl.ARRAY_BUFFER, lines, gl.DYNAMIC_DRAW);
      this.attributes(this.buffers.lines);
      gl.drawArrays(gl.LINES, 0, lines.length / 6);
    }
    if (heads.length) {
      gl.bufferData(gl.ARRAY_BUFFER, heads, gl.DYNAMIC_DRAW);
      this.attributes(this.buffers.lines);
      gl.drawArrays(gl.POINTS, 0, heads.length / 6);
    }
  }

  attributes(buffer) {
    const { gl } = this;
    gl.bindBuffer(gl.ARRAY_BUFFER, buffer);
    for (const [name, offset] of [['position', 0], ['colour', 12]]) {
      const at = gl.getAttribLocation(this.program, name);
      gl.enableVertexAttribArray(at);
      gl.vertexAttribPointer(at, 3, gl.FLOAT, false, 24, offset);
    }
  }

  // Dragging turns the camera: across for the azimuth, up and down for the elevation.
  listen() {
    let press = null;
    this.element.addEventListener('pointerdown', (event) => {
      press = { x: event.clientX, y: event.clientY, ...this.camera };
      this.element.setPointerCapture?.(event.pointerId);
    });
    this.element.addEventListener('pointermove', (event) => {
      if (!press) return;
      this.camera.azimuth = press.azimuth - (event.clientX - press.x) / 150;
      this.camera.elevation = Math.min(1.45, Math.max(0.1, press.elevation + (event.clientY - press.y) / 150));
      this.draw();
    });
    const release = () => (press = null);
    this.element.addEventListener('pointerup', release);
    this.element.addEventListener('pointercancel', release);
  }
}

function program(gl, vertex, fragment) {
  const p = gl.createProgram();
  for (const [type, source] of [[gl.VERTEX_SHADER, vertex], [gl.FRAGMENT_SHADER, fragment]]) {
    const shader = gl.createShader(type);
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(`3-D view: ${gl.getShaderInfoLog(shader)}`);
    gl.attachShader(p, shader);
  }
  gl.linkProgram(p);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`3-D view: ${gl.getProgramInfoLog(p)}`);
  return p;
}

function hexColour(css) {
  return [1, 3, 5].map((i) => parseInt(css.slice(i, i + 2), 16) / 255);
}
