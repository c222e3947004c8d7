//! A pack of `WIDE_LANES` (16) runs where the CPU has AVX-512, one parameter's value for every
//! run of the pack in one 512-bit register: its two matrix loops, and the transposes that lay the
//! runs' parameters side by side and take their gradients back. The loops compute what the
//! portable loops in `pack` compute, the same products and sums in the same order (each product
//! rounded before it is added, no FMA), so a run gets the same bits in any pack.
//!
//! Written with intrinsics because the portable loops, at 16 lanes, need 128 sums in flight to
//! keep the adders busy, and the compiler then leaves them in memory instead of unrolling them
//! into registers: 3x slower than 8 lanes. Here the sums are eight registers by construction.
//! Relu R = 64 natively (`cargo bench --bench training`, each against the one before in the same
//! run): 1.10-1.14x packs of 8 with these loops, 1.02-1.04x more with the weight gradients two at
//! a time, 1.04-1.06x more with the transposes; 1.20x in all (tanh 1.27-1.39x).

use std::arch::x86_64::{
    __m512, _mm512_add_ps, _mm512_castpd_ps, _mm512_castps_pd, _mm512_loadu_ps, _mm512_mul_ps, _mm512_set1_ps,
    _mm512_setzero_ps, _mm512_shuffle_f32x4, _mm512_storeu_ps, _mm512_unpackhi_pd, _mm512_unpackhi_ps,
    _mm512_unpacklo_pd, _mm512_unpacklo_ps,
};

pub const WIDE_LANES: usize = 16;

/// One value of each of a wide pack's runs (`pack::Lane<WIDE_LANES>`).
type Wide = [f32; WIDE_LANES];

/// Rows whose sums are kept in registers at once: 8 of the 32.
const ROWS: usize = 8;

/// The batch sums' partial sums, as `pack::PARTIALS`.
pub const PARTIALS: usize = 8;

/// Whether this CPU runs these kernels. Asked again at each call into them (a cached atomic
/// load, per layer and per output at most), so that each unsafe call is sound by itself,
/// whichever build of the step reaches it.
pub fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
}

// The kernels are `inline(always)` rather than compiled for AVX-512 themselves, so that they
// are inlined into the step compiled for it (`Pack::step_avx512`), with every loop around them:
// out of line they cost 1.1x. Each is safe to call only where `available()`.

/// # Safety
/// The CPU has AVX-512.
#[inline(always)]
unsafe fn load(lane: &Wide) -> __m512 {
    // SAFETY: `lane` is 16 readable f32s; loadu has no alignment requirement.
    unsafe { _mm512_loadu_ps(lane.as_ptr()) }
}

/// # Safety
/// The CPU has AVX-512.
#[inline(always)]
unsafe fn store(lane: &mut Wide, v: __m512) {
    // SAFETY: `lane` is 16 writable f32s; storeu has no alignment requirement.
    unsafe { _mm512_storeu_ps(lane.as_mut_ptr(), v) }
}

/// `pack::weighted_sums` at 16 lanes: each row of `out` as `init + Σ w·column[n]` over `terms` in
/// order, eight rows at a time.
///
/// # Safety
/// The CPU has AVX-512.
#[inline(always)]
pub unsafe fn weighted_sums<'a>(
    out: &mut [Wide],
    init: &Wide,
    terms: impl Iterator<Item = (&'a Wide, &'a [Wide])> + Clone,
) {
    let init = load(init);
    let done = out.len() / ROWS * ROWS;
    let mut blocks = out.chunks_exact_mut(ROWS);
    for (b, block) in (&mut blocks).enumerate() {
        let mut acc = [init; ROWS];
        for (w, column) in terms.clone() {
            let w = load(w);
            for (acc, value) in acc.iter_mut().zip(&column[b * ROWS..(b + 1) * ROWS]) {
                *acc = _mm512_add_ps(*acc, _mm512_mul_ps(w, load(value)));
            }
        }
        for (o, acc) in block.iter_mut().zip(acc) {
            store(o, acc);
        }
    }
    for (r, o) in blocks.into_remainder().iter_mut().enumerate() {
        let mut acc = init;
        for (w, column) in terms.clone() {
            acc = _mm512_add_ps(acc, _mm512_mul_ps(load(w), load(&column[done + r])));
        }
        store(o, acc);
    }
}

/// `pack::weight_gradients` at 16 lanes: `db[o] = Σ dz[o]·1` and `dW[o][i] = Σ dz[o]·input[i]`
/// over the rows, two sums at a time so that each load of `dz[o]` serves both.
///
/// # Safety
/// The CPU has AVX-512.
#[inline(always)]
pub unsafe fn weight_gradients(
    dw: &mut [Wide],
    db: &mut [Wide],
    dz: &[Wide],
    input: &[Wide],
    fan_in: usize,
    rows: usize,
    ones: &[Wide],
) {
    for ((dw_o, db_o), dz_o) in dw.chunks_exact_mut(fan_in).zip(db.iter_mut()).zip(dz.chunks_exact(rows)) {
        let sums = std::iter::once(db_o).chain(dw_o.iter_mut());
        let columns = std::iter::once(ones).chain(input.chunks_exact(rows));
        let mut pairs = sums.zip(columns);
        while let Some((sum, column)) = pairs.next() {
            match pairs.next() {
                Some((next_sum, next_column)) => [*sum, *next_sum] = batch_dots(dz_o, [column, next_column]),
                None => [*sum] = batch_dots(dz_o, [column]),
            }
        }
    }
}

/// `pack::batch_dot` of `x` with each of `ys`: Σ over the rows of `x[n]·y[n]` per lane, as
/// eight partial sums over whole chunks of eight rows added up in order, plus the other rows'
/// sum.
///
/// # Safety
/// The CPU has AVX-512.
#[inline(always)]
unsafe fn batch_dots<const K: usize>(x: &[Wide], ys: [&[Wide]; K]) -> [Wide; K] {
    let rows = ys.iter().map(|y| y.len()).fold(x.len(), usize::min);
    let (x, ys) = (&x[..rows], ys.map(|y| &y[..rows]));
    let whole = rows / PARTIALS * PARTIALS;
    let mut tails = [_mm512_set1_ps(-0.0); K];
    for n in whole..rows {
        let a = load(&x[n]);
        for (tail, y) in tails.iter_mut().zip(ys) {
            *tail = _mm512_add_ps(*tail, _mm512_mul_ps(a, load(&y[n])));
        }
    }
    let mut parts = [[_mm512_set1_ps(0.0); PARTIALS]; K];
    for chunk in (0..whole).step_by(PARTIALS) {
        for j in 0..PARTIALS {
            let a = load(&x[chunk + j]);
            for (part, y) in parts.iter_mut().zip(ys) {
                part[j] = _mm512_add_ps(part[j], _mm512_mul_ps(a, load(&y[chunk + j])));
            }
        }
    }
    // Plain loops, not closures: a closure is not compiled for AVX-512 with its caller, and
    // would call each intrinsic out of line.
    let mut sums = [[0.0; WIDE_LANES]; K];
    for ((sum, parts), tail) in sums.iter_mut().zip(parts).zip(tails) {
        let mut total = _mm512_set1_ps(-0.0);
        for part in parts {
            total = _mm512_add_ps(total, part);
        }
        store(sum, _mm512_add_ps(total, tail));
    }
    sums
}

// `interleave` and `deinterleave` mirror each other. Their loops are plain `for` loops over
// arrays, not `map`s, which were left out of line (0.97x at relu R = 64).

/// Lays 16 runs' values side by side, `dst[i][k] = runs[k][i]`, as far as the shortest reaches:
/// a wide pack's parameters from its runs'.
#[target_feature(enable = "avx512f")]
pub fn interleave(dst: &mut [Wide], runs: [&[f32]; WIDE_LANES]) {
    let len = runs.iter().map(|r| r.len()).fold(dst.len(), usize::min);
    let (dst_blocks, dst_tail) = dst[..len].as_chunks_mut::<WIDE_LANES>();
    for (b, dst_block) in dst_blocks.iter_mut().enumerate() {
        let mut rows = [_mm512_setzero_ps(); WIDE_LANES];
        for (row, run) in rows.iter_mut().zip(runs) {
            // SAFETY: this function is compiled for AVX-512.
            *row = unsafe { load(&run[..len].as_chunks().0[b]) };
        }
        for (values, row) in dst_block.iter_mut().zip(transpose(rows)) {
            // SAFETY: as above.
            unsafe { store(values, row) };
        }
    }
    let done = len - dst_tail.len();
    for (i, values) in dst_tail.iter_mut().enumerate() {
        for (v, run) in values.iter_mut().zip(runs) {
            *v = run[done + i];
        }
    }
}

/// The inverse of `interleave`: `runs[k][i] = src[i][k]`, as far as the shortest reaches.
#[target_feature(enable = "avx512f")]
pub fn deinterleave(src: &[Wide], mut runs: [&mut [f32]; WIDE_LANES]) {
    let len = runs.iter().map(|r| r.len()).fold(src.len(), usize::min);
    let (src_blocks, src_tail) = src[..len].as_chunks::<WIDE_LANES>();
    for (b, src_block) in src_blocks.iter().enumerate() {
        let mut rows = [_mm512_setzero_ps(); WIDE_LANES];
        for (row, values) in rows.iter_mut().zip(src_block) {
            // SAFETY: this function is compiled for AVX-512.
            *row = unsafe { load(values) };
        }
        for (run, row) in runs.iter_mut().zip(transpose(rows)) {
            // SAFETY: as above.
            unsafe { store(&mut run[..len].as_chunks_mut().0[b], row) };
        }
    }
    let done = len - src_tail.len();
    for (i, values) in src_tail.iter().enumerate() {
        for (run, &v) in runs.iter_mut().zip(values) {
            run[done + i] = v;
        }
    }
}

/// A 16 × 16 transpose in registers: element `j` of row `i` becomes element `i` of row `j`.
/// Pairs of rows are interleaved by 32 bits, then by 64 (each 128-bit quarter of `u[4k + m]`
/// then holds rows 4k..4k+4 of one column), and the quarters are gathered across registers
/// last. Plain loops, no closures (see `batch_dots`).
#[target_feature(enable = "avx512f")]
fn transpose(r: [__m512; WIDE_LANES]) -> [__m512; WIDE_LANES] {
    let mut t = [_mm512_setzero_ps(); WIDE_LANES];
    for i in (0..WIDE_LANES).step_by(2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
    }
    let mut u = [_mm512_setzero_ps(); WIDE_LANES];
    for k in (0..WIDE_LANES).step_by(4) {
        for half in 0..2 {
            let (a, b) = (_mm512_castps_pd(t[k + half]), _mm512_castps_pd(t[k + half + 2]));
            u[k + 2 * half] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, b));
            u[k + 2 * half + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, b));
        }
    }
    let mut out = [_mm512_setzero_ps(); WIDE_LANES];
    for m in 0..4 {
        let low = (_mm512_shuffle_f32x4::<0x44>(u[m], u[4 + m]), _mm512_shuffle_f32x4::<0x44>(u[8 + m], u[12 + m]));
        let high = (_mm512_shuffle_f32x4::<0xee>(u[m], u[4 + m]), _mm512_shuffle_f32x4::<0xee>(u[8 + m], u[12 + m]));
        out[m] = _mm512_shuffle_f32x4::<0x88>(low.0, low.1);
        out[4 + m] = _mm512_shuffle_f32x4::<0xdd>(low.0, low.1);
        out[8 + m] = _mm512_shuffle_f32x4::<0x88>(high.0, high.1);
        out[12 + m] = _mm512_shuffle_f32x4::<0xdd>(high.0, high.1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 37 values per run: two whole blocks of 16 and a tail.
    #[test]
    fn interleave_lays_runs_side_by_side_and_deinterleave_takes_them_back() {
        if !available() {
            return;
        }
        let runs: Vec<Vec<f32>> = (0..WIDE_LANES).map(|k| (0..37).map(|i| (k * 100 + i) as f32).collect()).collect();
        let mut packed = vec![[0.0; WIDE_LANES]; 37];
        // SAFETY: this CPU has AVX-512 (checked above).
        unsafe { interleave(&mut packed, std::array::from_fn(|k| &runs[k][..])) };
        for (i, values) in packed.iter().enumerate() {
            assert_eq!(*values, std::array::from_fn(|k| (k * 100 + i) as f32), "value {i}");
        }
        let mut back = vec![vec![0.0; 37]; WIDE_LANES];
        let destinations = back.iter_mut().map(|run| &mut run[..]).collect::<Vec<_>>().try_into().expect("16 runs");
        // SAFETY: as above.
        unsafe { deinterleave(&packed, destinations) };
        assert_eq!(back, runs);
    }
}
