//! `exp` and `ln` in plain branch-free f32 arithmetic: a loop of them vectorises (a libm call
//! per element does not), and they give the same bits natively and in wasm. The activations
//! and the losses use them in every path, so a run gets the same bits trained alone or in a pack.

/// The numbers e^x's arithmetic uses. A vectorised loop takes them as values read once before
/// it (through `std::hint::black_box`, opaque to the compiler) rather than as literals in its
/// body: with the literals, Chromium 156 ran tanh over a slice 1.3x slower (its V8 seems to
/// build a 128-bit literal anew where it is used); Node's V8 and native builds run as fast
/// either way, and the bits are the same.
#[derive(Clone, Copy)]
pub struct ExpConstants {
    log2_e: f32,
    /// Adding 1.5 · 2^23 rounds a float below 2^22 to an integer and leaves it in the low mantissa bits.
    round: f32,
    /// ln 2 in two parts: `k · ln2_hi` is exact for the exponents used here.
    ln2_hi: f32,
    ln2_lo: f32,
    /// e^r = 1 + r + r²·Q(r) for |r| <= ln2 / 2.
    q: [f32; 5],
    /// 1, also tanh's (`(1 - e) / (1 + e)`).
    pub(super) one: f32,
}

impl ExpConstants {
    pub const LITERAL: Self = Self {
        log2_e: std::f32::consts::LOG2_E,
        round: 12_582_912.0,
        ln2_hi: 0.693_145_75,
        ln2_lo: 1.428_606_8e-6,
        q: [0.001_375_140_9, 0.008_368_919, 0.041_669_533, 0.166_665_18, 0.499_999_9],
        one: 1.0,
    };
}

const LN2_HI: f32 = ExpConstants::LITERAL.ln2_hi;
const LN2_LO: f32 = ExpConstants::LITERAL.ln2_lo;

/// e^x within 1.5 ulp of the exact value over the normal range: 0 below -104 and +∞
/// above 89, a NaN stays NaN.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    // Clamping keeps 2^k within the scales below; a NaN fails both tests and stays.
    let x = if x < -104.0 { -104.0 } else { x };
    let x = if x > 89.0 { 89.0 } else { x };
    let (k, e_r) = exp_reduced(x, &ExpConstants::LITERAL);
    // 2^k as two powers of two, each a normal float for k in [-150, 129]: multiplying by them
    // is exact until the result overflows to ∞ or becomes subnormal.
    let half = k >> 1;
    e_r * power_of_two(half) * power_of_two(k - half)
}

/// e^x for x in [-87, 0] (a NaN stays NaN), as `exp` but cheaper: there 2^k is one normal
/// float. tanh needs no more.
#[inline(always)]
pub fn exp_nonpositive(x: f32, c: &ExpConstants) -> f32 {
    let (k, e_r) = exp_reduced(x, c);
    e_r * power_of_two(k)
}

/// e^x = 2^k · e^r with |r| <= ln2 / 2: `k` and e^r.
#[inline(always)]
fn exp_reduced(x: f32, c: &ExpConstants) -> (i32, f32) {
    let shifted = x * c.log2_e + c.round;
    let k = shifted.to_bits().wrapping_sub(c.round.to_bits()) as i32;
    let kf = shifted - c.round;
    let r = x - kf * c.ln2_hi - kf * c.ln2_lo;
    let [q4, q3, q2, q1, q0] = c.q;
    let q = (((q4 * r + q3) * r + q2) * r + q1) * r + q0;
    (k, c.one + r + r * r * q)
}

/// The larger of `a` and `b`, and `a` where `b` is NaN: `f32::max` where `a` is never NaN,
/// without its call per element to `fmaxf` in wasm (whose `max` instruction treats NaN
/// otherwise), so that a loop of it vectorises there. Where they are equal, `a`.
#[inline(always)]
pub fn larger(a: f32, b: f32) -> f32 {
    if b > a {
        b
    } else {
        a
    }
}

/// 2^p for p in [-126, 127].
#[inline(always)]
fn power_of_two(p: i32) -> f32 {
    f32::from_bits(((p + 127) as u32) << 23)
}

/// ln x within 1 ulp of the exact value for positive normal x and +∞ (the losses take it of
/// sums of exponentials, at least 1); a NaN stays NaN.
#[inline(always)]
pub fn ln(x: f32) -> f32 {
    // x = 2^e · m with m in [√½, √2).
    let bits = x.to_bits();
    let m = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000);
    let big = m > std::f32::consts::SQRT_2;
    let m = if big { m * 0.5 } else { m };
    let e = ((bits >> 23) as i32 - 127 + big as i32) as f32;
    // ln m = f - f²/2 + f³·P(f), f = m - 1, P a least-squares fit on [√½ - 1, √2 - 1]
    // (relative error 2e-8).
    let f = m - 1.0;
    let p = ((((((-0.075_132_45 * f + 0.126_029_18) * f - 0.131_322_01) * f + 0.142_222_05) * f - 0.166_280_54) * f
        + 0.200_004_55)
        * f
        - 0.250_006_8)
        * f
        + 0.333_333_4;
    let s = f * f;
    let ln_m = f + (s * f * p - 0.5 * s);
    let y = e * LN2_HI + (ln_m + e * LN2_LO);
    if x == f32::INFINITY || x.is_nan() {
        x
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// |got - want| in units in the last place of `want` (as an f32).
    fn ulps(got: f32, want: f64) -> f64 {
        let w = want as f32;
        let ulp = f32::from_bits(w.to_bits() + 1) - w;
        ((got as f64 - want) / ulp as f64).abs()
    }

    /// Within 1.5 ulp of f64's on a sample of every float whose e^x is normal, and the edges as std's.
    #[test]
    fn exp_is_accurate() {
        let range = |lo: f32, hi: f32| (lo.to_bits()..hi.to_bits()).step_by(101).map(f32::from_bits);
        let worst =
            range(0.0, 88.7).chain(range(-0.0, -87.3)).map(|x| ulps(exp(x), (x as f64).exp())).fold(0.0, f64::max);
        assert!(worst <= 1.5, "{worst} ulp");
        for x in [-120.0, f32::NEG_INFINITY] {
            assert_eq!(exp(x), 0.0);
        }
        for x in [88.73, 100.0, f32::INFINITY] {
            assert_eq!(exp(x), f32::INFINITY);
        }
        assert_eq!(exp(0.0), 1.0);
        assert!(exp(f32::NAN).is_nan());
        // Subnormal results: within the smallest subnormal of the exact value.
        for x in [-88.0f32, -95.5, -103.0] {
            assert!((exp(x) as f64 - (x as f64).exp()).abs() <= f32::from_bits(1) as f64, "{x}");
        }
    }

    /// The same bits as `exp` wherever it is defined.
    #[test]
    fn exp_nonpositive_is_exp() {
        let range = (0.0f32.to_bits()..87.0f32.to_bits()).step_by(101).map(|b| -f32::from_bits(b));
        let c = std::hint::black_box(ExpConstants::LITERAL);
        assert!(range.chain([-0.0]).all(|x| exp_nonpositive(x, &c).to_bits() == exp(x).to_bits()));
        assert!(exp_nonpositive(f32::NAN, &c).is_nan());
    }

    #[test]
    fn larger_is_max_without_nan_in_a() {
        for (a, b) in [(0.0, 2.5), (0.0, -3.0), (1.0, f32::NAN), (f32::NEG_INFINITY, -1e30), (0.0, f32::INFINITY)] {
            assert_eq!(larger(a, b).to_bits(), a.max(b).to_bits(), "{a} {b}");
        }
        // Of two equal values, the first.
        assert_eq!(larger(0.0, -0.0).to_bits(), 0.0f32.to_bits());
    }

    /// Within 1 ulp of f64's on a sample of every positive normal float, and the edges as std's.
    #[test]
    fn ln_is_accurate() {
        let worst = (f32::MIN_POSITIVE.to_bits()..f32::MAX.to_bits())
            .step_by(997)
            .map(f32::from_bits)
            .filter(|&x| x != 1.0)
            .map(|x| ulps(ln(x), (x as f64).ln()))
            .fold(0.0, f64::max);
        assert!(worst <= 1.0, "{worst} ulp");
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(ln(f32::INFINITY), f32::INFINITY);
        assert!(ln(f32::NAN).is_nan());
    }
}
