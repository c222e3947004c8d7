//! Arithmetic on eight f32 lanes (one value per run of a pack) as two 128-bit vectors: SSE on
//! x86_64, simd128 on wasm32 (the engine's wasm build enables it), plain loops elsewhere. Written
//! out because the compiler, left to itself, vectorises the loops over a pack's rows across rows
//! (gathering every lane) instead of across the lanes. Multiplies and adds stay separate (no
//! fused multiply-add), so every lane rounds exactly as the one-run loops do.

/// One value per run of a pack.
pub type Lane = [f32; 8];

/// `acc += a * b`, lane by lane.
#[inline(always)]
pub fn mul_add(acc: &mut Lane, a: &Lane, b: &Lane) {
    imp::mul_add(acc, a, b);
}

/// `acc += a`, lane by lane.
#[inline(always)]
pub fn add(acc: &mut Lane, a: &Lane) {
    imp::add(acc, a);
}

#[cfg(target_arch = "x86_64")]
// The intrinsics are safe to call from Rust 1.87 on (SSE2 is part of x86_64); the MSRV needs the blocks.
#[allow(unused_unsafe)]
mod imp {
    use core::arch::x86_64::{_mm_add_ps, _mm_loadu_ps, _mm_mul_ps, _mm_storeu_ps};

    use super::Lane;

    #[inline(always)]
    pub fn mul_add(acc: &mut Lane, a: &Lane, b: &Lane) {
        // SAFETY: each pointer is to eight f32s; the loads and stores read or write four at 0 and 4.
        unsafe {
            for half in [0, 4] {
                let product = _mm_mul_ps(_mm_loadu_ps(a.as_ptr().add(half)), _mm_loadu_ps(b.as_ptr().add(half)));
                let sum = _mm_add_ps(_mm_loadu_ps(acc.as_ptr().add(half)), product);
                _mm_storeu_ps(acc.as_mut_ptr().add(half), sum);
            }
        }
    }

    #[inline(always)]
    pub fn add(acc: &mut Lane, a: &Lane) {
        // SAFETY: as in `mul_add`.
        unsafe {
            for half in [0, 4] {
                let sum = _mm_add_ps(_mm_loadu_ps(acc.as_ptr().add(half)), _mm_loadu_ps(a.as_ptr().add(half)));
                _mm_storeu_ps(acc.as_mut_ptr().add(half), sum);
            }
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[allow(unused_unsafe)]
mod imp {
    use core::arch::wasm32::{f32x4_add, f32x4_mul, v128, v128_load, v128_store};

    use super::Lane;

    #[inline(always)]
    pub fn mul_add(acc: &mut Lane, a: &Lane, b: &Lane) {
        // SAFETY: each pointer is to eight f32s; the loads and stores read or write four at 0 and 4
        // (wasm has no alignment requirement for v128 loads).
        unsafe {
            for half in [0, 4] {
                let load = |l: &Lane| v128_load(l.as_ptr().add(half) as *const v128);
                let sum = f32x4_add(load(acc), f32x4_mul(load(a), load(b)));
                v128_store(acc.as_mut_ptr().add(half) as *mut v128, sum);
            }
        }
    }

    #[inline(always)]
    pub fn add(acc: &mut Lane, a: &Lane) {
        // SAFETY: as in `mul_add`.
        unsafe {
            for half in [0, 4] {
                let load = |l: &Lane| v128_load(l.as_ptr().add(half) as *const v128);
                v128_store(acc.as_mut_ptr().add(half) as *mut v128, f32x4_add(load(acc), load(a)));
            }
        }
    }
}

/// The scalar twin, for every other target.
#[cfg(not(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128"))))]
mod imp {
    use super::Lane;

    #[inline(always)]
    pub fn mul_add(acc: &mut Lane, a: &Lane, b: &Lane) {
        for k in 0..8 {
            acc[k] += a[k] * b[k];
        }
    }

    #[inline(always)]
    pub fn add(acc: &mut Lane, a: &Lane) {
        for k in 0..8 {
            acc[k] += a[k];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_round_as_scalar_code_does() {
        let a: Lane = std::array::from_fn(|k| 0.1 + k as f32 / 3.0);
        let b: Lane = std::array::from_fn(|k| -1.7 + k as f32 * 0.77);
        let mut acc: Lane = std::array::from_fn(|k| 1e-3 * k as f32 - 0.5);
        let expected: Lane = std::array::from_fn(|k| acc[k] + a[k] * b[k] + a[k]);
        mul_add(&mut acc, &a, &b);
        add(&mut acc, &a);
        assert_eq!(acc.map(f32::to_bits), expected.map(f32::to_bits));
    }
}
