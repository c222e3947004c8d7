// The hidden-layer activations and their derivatives, shared by the kernels that run a network.
// WGSL has no includes: the host prepends this file to a kernel's source before compiling it
// (`shader_source` in program.rs).
// The caller passes the activation code (`Activation::code` in src/model/activation.rs) from
// whichever uniform holds it. The CPU twin is src/model/activation.rs.

const ACT_RELU = 0u;
const ACT_TANH = 1u;
const ACT_SIGMOID = 2u;
const ACT_GELU = 3u;

// Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): WGSL has no erf.
fn erf(x: f32) -> f32 {
    let t = 1.0 / (1.0 + 0.3275911 * abs(x));
    let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    return sign(x) * (1.0 - poly * exp(-x * x));
}

fn activate(code: u32, z: f32) -> f32 {
    switch code {
        case ACT_RELU: { return max(z, 0.0); }
        case ACT_TANH: { return tanh(z); }
        case ACT_SIGMOID: { return 1.0 / (1.0 + exp(-z)); }
        case ACT_GELU: { return 0.5 * z * (1.0 + erf(z * 0.70710678)); }
        default: { return z; }
    }
}

fn activation_derivative(code: u32, z: f32) -> f32 {
    switch code {
        case ACT_RELU: { return select(0.0, 1.0, z > 0.0); }
        case ACT_TANH: { let t = tanh(z); return 1.0 - t * t; }
        case ACT_SIGMOID: { let s = 1.0 / (1.0 + exp(-z)); return s * (1.0 - s); }
        case ACT_GELU: { return 0.5 * (1.0 + erf(z * 0.70710678)) + z * exp(-0.5 * z * z) * 0.39894228; }
        default: { return 1.0; }
    }
}
