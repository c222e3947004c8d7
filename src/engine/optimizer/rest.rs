//! Parameters at rest: what SGD and Adam share to update them without touching a subnormal.
//!
//! A parameter is at rest when its gradient is zero (the weights into and out of a ReLU unit
//! that never fires) and its momentum (SGD's buffer, Adam's first moment) has decayed into the
//! subnormal floats, where it stays a long while: 0.9 · 3·2⁻¹⁴⁹ rounds back to 3·2⁻¹⁴⁹. Intel
//! CPUs take a microcode assist of about a hundred cycles for a float operation on a subnormal,
//! and a 64-run ReLU network spent 40% of its step there with SGD and two thirds with Adam
//! (`cargo bench --bench training`, perf). At rest, the moment's new bits come from integer
//! arithmetic (`rounded_product`) instead, and the parameter provably stays as it is.
//! Subnormals are kept as IEEE 754 and torch keep them: flushing them to zero would be faster
//! still, but would change the numbers.
//!
//! `apply_resting` walks a group in chunks: a chunk with no subnormal moment takes the plain,
//! vectorised update; in one with a subnormal, the rule says which moments rest and what their
//! bits become (`Rested`), and `update_chunk` zeroes them, runs the plain update on the whole
//! chunk and puts their bits back, in branch-free loops over a fixed length that each vectorise.

/// Parameters looked at together for a moment at rest.
pub(super) const CHUNK: usize = 8;

/// The smallest |p| that an update of a subnormal moment cannot move (the rules' bounds on the
/// rate keep that update below half an ulp of 2⁻⁶⁰, which is 2⁻⁸⁴).
pub(super) const MIN_RESTING_PARAM: f32 = f32::from_bits((127 - 60) << 23);

pub(super) const MAGNITUDE: u32 = 0x7fff_ffff;
pub(super) const SIGN: u32 = 0x8000_0000;
/// The bits of the smallest normal float: every nonzero magnitude below is subnormal.
pub(super) const MIN_NORMAL_BITS: u32 = 0x0080_0000;

/// Whether `x` is subnormal, from its bits: a float comparison with a subnormal would itself
/// take the assist.
#[inline(always)]
pub(super) fn is_subnormal(x: f32) -> bool {
    let magnitude = x.to_bits() & MAGNITUDE;
    magnitude != 0 && magnitude < MIN_NORMAL_BITS
}

/// Whether any of `values` is subnormal: a fold, since an early exit keeps a loop from
/// vectorising.
#[inline(always)]
fn any_subnormal(values: &[f32]) -> bool {
    values.iter().fold(false, |seen, &v| seen | is_subnormal(v))
}

/// Whether |p| is at least `MIN_RESTING_PARAM` and finite, from its bits.
#[inline(always)]
pub(super) fn stays(p: f32) -> bool {
    let p = p.to_bits() & MAGNITUDE;
    MIN_RESTING_PARAM.to_bits() <= p && p < f32::INFINITY.to_bits()
}

/// `factor · k` rounded to the nearest integer, ties to even, for `factor` in [0, 1] and
/// k < 2²³: the magnitude of a subnormal ±k·2⁻¹⁴⁹ times `factor`, on the same grid of 2⁻¹⁴⁹,
/// as the float product rounds it. In f64 the product is exact (24 + 23 bits), adding 2⁵²
/// rounds it so, and the low bits of the sum then hold the integer (no float-to-int cast,
/// whose saturation would keep the loop from vectorising).
#[inline(always)]
pub(super) fn rounded_product(factor: f32, k: u32) -> u32 {
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    (f64::from(factor) * f64::from(k as i32) + TWO_52).to_bits() as u32
}

/// One chunk's parameters, gradients and `S` state columns (moments).
pub(super) struct Chunk<'a, const S: usize> {
    pub params: &'a mut [f32; CHUNK],
    pub grads: &'a [f32; CHUNK],
    pub state: [&'a mut [f32; CHUNK]; S],
}

/// A rule's verdict on a chunk, per state column: all ones where the moment rests, and the
/// bits it has after the update there.
pub(super) struct Rested<const S: usize> {
    pub masks: [[u32; CHUNK]; S],
    pub bits: [[u32; CHUNK]; S],
}

/// All ones where `rests`, so that a chunk's selects are bit arithmetic, which vectorises.
#[inline(always)]
pub(super) fn all_ones_if(rests: bool) -> u32 {
    0u32.wrapping_sub(rests as u32)
}

/// Updates `params` from `grads` and `state` (the rule's moments): `plain` on the runs of chunks
/// without a subnormal moment, and on each chunk with one `update_chunk`, with the moments that
/// `rests` says rest (the last few parameters copied into a chunk padded with ones that move:
/// gradient 1, state 0).
pub(super) fn apply_resting<const S: usize>(
    params: &mut [f32],
    grads: &[f32],
    state: [&mut [f32]; S],
    plain: impl Fn(&mut [f32], &[f32], [&mut [f32]; S]),
    rests: impl Fn(&Chunk<S>) -> Rested<S>,
) {
    // As many as every slice has, as a zip would take: chunk j then exists in each.
    let n = state.iter().map(|column| column.len()).fold(params.len().min(grads.len()), usize::min);
    let (params, grads, state) = (&mut params[..n], &grads[..n], state.map(|column| &mut column[..n]));
    if !state.iter().any(|column| any_subnormal(column)) {
        return plain(params, grads, state);
    }
    let (param_chunks, param_tail) = params.as_chunks_mut::<CHUNK>();
    let (grad_chunks, grad_tail) = grads.as_chunks::<CHUNK>();
    let mut columns = state.map(|column| column.as_chunks_mut::<CHUNK>());
    let mut plain_from = 0;
    for j in 0..param_chunks.len() {
        if !columns.iter().any(|(chunks, _)| any_subnormal(&chunks[j])) {
            continue;
        }
        let run = plain_from..j;
        plain(
            param_chunks[run.clone()].as_flattened_mut(),
            grad_chunks[run.clone()].as_flattened(),
            columns.each_mut().map(|(chunks, _)| chunks[run.clone()].as_flattened_mut()),
        );
        let chunk = Chunk {
            params: &mut param_chunks[j],
            grads: &grad_chunks[j],
            state: columns.each_mut().map(|(chunks, _)| &mut chunks[j]),
        };
        update_chunk(chunk, &plain, &rests);
        plain_from = j + 1;
    }
    plain(
        param_chunks[plain_from..].as_flattened_mut(),
        grad_chunks[plain_from..].as_flattened(),
        columns.each_mut().map(|(chunks, _)| chunks[plain_from..].as_flattened_mut()),
    );
    let tails = columns.map(|(_, tail)| tail);
    if tails.iter().any(|tail| any_subnormal(tail)) {
        let n = param_tail.len();
        let (mut params, mut grads, mut state) = ([1.0; CHUNK], [1.0; CHUNK], [[0.0; CHUNK]; S]);
        params[..n].copy_from_slice(param_tail);
        grads[..n].copy_from_slice(grad_tail);
        for (to, from) in state.iter_mut().zip(&tails) {
            to[..n].copy_from_slice(from);
        }
        update_chunk(Chunk { params: &mut params, grads: &grads, state: state.each_mut() }, &plain, &rests);
        param_tail.copy_from_slice(&params[..n]);
        for (from, to) in state.iter().zip(tails) {
            to.copy_from_slice(&from[..n]);
        }
    } else {
        plain(param_tail, grad_tail, tails);
    }
}

/// `plain`'s bits for a chunk with moments at rest, without a float operation on their
/// subnormals: the resting moments are zeroed (a zero moment and gradient leave p as it is),
/// `plain` runs on the whole chunk, and their bits after the update go back in. The zeroed
/// moments pass through `black_box`, or the compiler multiplies a subnormal first and selects
/// after, which takes the assist all the same.
#[inline(always)]
fn update_chunk<const S: usize>(
    chunk: Chunk<S>,
    plain: &impl Fn(&mut [f32], &[f32], [&mut [f32]; S]),
    rests: &impl Fn(&Chunk<S>) -> Rested<S>,
) {
    let Rested { masks, bits } = rests(&chunk);
    let Chunk { params, grads, mut state } = chunk;
    for (column, masks) in state.iter_mut().zip(&masks) {
        for (x, &mask) in column.iter_mut().zip(masks) {
            *x = f32::from_bits(x.to_bits() & !mask);
        }
    }
    let mut state = std::hint::black_box(state);
    plain(params, grads, state.each_mut().map(|column| column.as_mut_slice()));
    for ((column, masks), bits) in state.iter_mut().zip(&masks).zip(&bits) {
        for ((x, &mask), &rested) in column.iter_mut().zip(masks).zip(bits) {
            *x = f32::from_bits((x.to_bits() & !mask) | (rested & mask));
        }
    }
}

/// Values the rules' tests share.
#[cfg(test)]
pub(super) mod test_values {
    use super::CHUNK;

    pub fn bits(values: &[f32]) -> Vec<u32> {
        values.iter().map(|v| v.to_bits()).collect()
    }

    /// Subnormals of both signs: every k·2⁻¹⁴⁹ up to k = 2¹⁰ and a spread to 2²³, so every
    /// rounding tie of a product with them.
    pub fn subnormals() -> Vec<f32> {
        let ks = (1..1024u32).chain((10..23).flat_map(|e| [(1 << e) + 1, (3 << e) / 2, (1 << (e + 1)) - 1]));
        ks.flat_map(|k| [f32::from_bits(k), -f32::from_bits(k)]).collect()
    }

    /// A group that leaves a remainder after its chunks: parameters (some too small to rest),
    /// gradients (some ±0) and momenta (some normal, the others subnormal of either sign).
    pub fn mixed_group() -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let n = 4 * CHUNK + 5;
        let params = (0..n).map(|i| if i % 7 == 3 { 1e-30 } else { 0.5 - i as f32 * 0.03 }).collect();
        let zero = |i: usize| if i.is_multiple_of(2) { 0.0 } else { -0.0 };
        let grads = (0..n).map(|i| if i % 3 == 0 { 0.01 * i as f32 } else { zero(i) }).collect();
        let sign = |i: usize| if i.is_multiple_of(5) { -1.0 } else { 1.0 };
        let momenta = (0..n).map(|i| if i % 4 == 0 { 0.02 } else { f32::from_bits(i as u32 * 37) * sign(i) }).collect();
        (params, grads, momenta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Slices of unequal lengths are walked as far as all of them go, as a zip would, plainly
    /// or at rest: no panic, and nothing past the shortest is touched.
    #[test]
    fn unequal_lengths_are_walked_as_far_as_the_shortest() {
        let plain = |p: &mut [f32], g: &[f32], [m]: [&mut [f32]; 1]| {
            for ((p, g), m) in p.iter_mut().zip(g).zip(m.iter_mut()) {
                *m += g;
                *p -= *m;
            }
        };
        let rests_not = |_: &Chunk<1>| Rested { masks: [[0; CHUNK]], bits: [[0; CHUNK]] };
        for momentum in [1.0, f32::from_bits(3)] {
            for (params_len, grads_len, state_len) in [(20, 20, 13), (13, 20, 20), (20, 5, 20), (20, 20, 0)] {
                let mut params = vec![1.0; params_len];
                let mut state = vec![momentum; state_len];
                apply_resting(&mut params, &vec![0.5; grads_len], [&mut state], plain, rests_not);
                let n = params_len.min(grads_len).min(state_len);
                assert!(params[..n].iter().all(|&p| p == 1.0 - (momentum + 0.5)), "{params:?}");
                assert!(params[n..].iter().all(|&p| p == 1.0));
                assert!(state[n..].iter().all(|&m| m == momentum));
            }
        }
    }
}
