//! WGSL compute through wgpu's Vulkan backend (lavapipe in CI): the shaders agree with their CPU twin.

use crate::matmul::{matmul_cpu, MatmulKernel, MatmulKind, TileConfig};
use crate::support::gpu;

fn values(len: usize, seed: u32) -> Vec<f32> {
    // Small exact-in-f32 values, so the only difference could come from the order of additions.
    (0..len).map(|i| ((i as u32 * 37 + seed * 11) % 17) as f32 / 8.0 - 1.0).collect()
}

/// Values in [-1, 1) with full mantissas, so a different order of additions does round differently.
fn noisy(len: usize, seed: u32) -> Vec<f32> {
    let mut state = seed.wrapping_mul(0x9E37_79B9) | 1;
    (0..len)
        .map(|_| {
            // xorshift32: deterministic, no dependency.
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 8) as f32 / (1u32 << 23) as f32 - 1.0
        })
        .collect()
}

/// Asserts `c` is `A × B` to 1e-5 relative, where "relative" is to the sum of the magnitudes of
/// the terms of each element: that bounds the rounding of any order of summation, even where
/// terms cancel and the element itself is near zero.
fn assert_close(c: &[f32], a: &[f32], b: &[f32], (m, k, n): (usize, usize, usize), what: &str) {
    let expected = matmul_cpu(a, b, m, k, n);
    assert_eq!(c.len(), expected.len(), "{what}: length");
    for row in 0..m {
        for col in 0..n {
            let scale: f32 = (0..k).map(|i| (a[row * k + i] * b[i * n + col]).abs()).sum();
            let (got, want) = (c[row * n + col], expected[row * n + col]);
            assert!(
                (got - want).abs() <= 1e-5 * scale.max(f32::MIN_POSITIVE),
                "{what}: C[{row}, {col}] = {got}, CPU says {want} (term magnitudes sum to {scale})"
            );
        }
    }
}

/// Partial tiles on every edge, k both shorter and longer than a slice, several workgroups
/// each way, and one exact fit of the largest tile.
const SHAPES: [(usize, usize, usize); 6] =
    [(1, 1, 1), (37, 19, 23), (65, 130, 33), (5, 70, 3), (130, 67, 257), (128, 128, 128)];

#[test]
fn naive_matmul_matches_cpu_on_a_non_square_product() {
    let gpu = gpu();
    let (m, k, n) = (37, 19, 23);
    let (a, b) = (values(m * k, 1), values(k * n, 2));
    let c = pollster::block_on(MatmulKernel::naive(&gpu).run(&gpu, &a, &b, m, k, n)).unwrap();
    assert_eq!(c, matmul_cpu(&a, &b, m, k, n));
    assert!(c.iter().any(|&x| x != 0.0));
}

#[test]
fn tiled_matmul_matches_cpu_at_odd_shapes() {
    let gpu = gpu();
    let kernel = MatmulKernel::tiled(&gpu).unwrap();
    for (i, &(m, k, n)) in SHAPES.iter().enumerate() {
        let (a, b) = (noisy(m * k, 2 * i as u32 + 1), noisy(k * n, 2 * i as u32 + 2));
        let c = pollster::block_on(kernel.run(&gpu, &a, &b, m, k, n)).unwrap();
        assert_close(&c, &a, &b, (m, k, n), &format!("{m}×{k}×{n} with {:?}", kernel.kind()));
    }
}

#[test]
fn every_fallback_tile_shape_is_correct_too() {
    let gpu = gpu();
    let limits = gpu.device.limits();
    for tile in TileConfig::CANDIDATES.into_iter().skip(1) {
        if tile.check(&limits).is_err() {
            continue;
        }
        let kernel = MatmulKernel::tiled_with(&gpu, tile).unwrap();
        assert_eq!(kernel.kind(), MatmulKind::Tiled(tile));
        for &(m, k, n) in &SHAPES[..5] {
            let (a, b) = (noisy(m * k, 7), noisy(k * n, 8));
            let c = pollster::block_on(kernel.run(&gpu, &a, &b, m, k, n)).unwrap();
            assert_close(&c, &a, &b, (m, k, n), &format!("{m}×{k}×{n} with tile {tile}"));
        }
    }
}

#[test]
fn the_largest_tile_that_fits_the_limits_is_chosen() {
    let mut limits = wgpu::Limits::defaults();
    assert_eq!(TileConfig::for_limits(&limits), Some(TileConfig::CANDIDATES[0]));
    // 32 bytes short of 16 KiB of workgroup memory (wgpu's downlevel limits): a shallower k slice.
    assert_eq!(TileConfig::for_limits(&wgpu::Limits::downlevel_defaults()), Some(TileConfig::CANDIDATES[1]));
    // An adapter with 64 invocations per workgroup gets 8 × 8 invocations...
    limits.max_compute_invocations_per_workgroup = 64;
    assert_eq!(TileConfig::for_limits(&limits), Some(TileConfig::CANDIDATES[2]));
    // ... one with 2 KiB of workgroup memory 4 × 4, and one without compute shaders nothing.
    limits.max_compute_workgroup_storage_size = 2048;
    assert_eq!(TileConfig::for_limits(&limits), Some(TileConfig::CANDIDATES[3]));
    assert_eq!(TileConfig::for_limits(&wgpu::Limits::downlevel_webgl2_defaults()), None);

    let err = TileConfig::CANDIDATES[0].check(&limits).unwrap_err().to_string();
    assert_eq!(err, "too large for this GPU: tile 128x128x16 (16x16 invocations, 8x8 each) needs invocations per workgroup 256, the adapter allows 64");
}

#[test]
fn a_tile_shape_the_adapter_cannot_run_is_an_error() {
    let gpu = gpu();
    let most = gpu.device.limits().max_compute_invocations_per_workgroup;
    let tile = TileConfig { workgroup_x: most, workgroup_y: 2, tile_k: 4 };
    let err = MatmulKernel::tiled_with(&gpu, tile).err().expect("too many invocations");
    assert!(err.to_string().contains("invocations per workgroup"), "{err}");
}

#[test]
fn a_prepared_product_can_be_dispatched_many_times_and_read_once() {
    let gpu = gpu();
    let (m, k, n) = (33, 47, 65);
    let (a, b) = (noisy(m * k, 3), noisy(k * n, 4));
    let kernel = MatmulKernel::tiled(&gpu).unwrap();
    let product = kernel.prepare(&gpu, &a, &b, m, k, n).unwrap();
    assert_eq!(product.flops(), 2 * (m * k * n) as u64);
    let mut encoder = gpu.device.create_command_encoder(&wgpu::CommandEncoderDescriptor::default());
    for _ in 0..5 {
        product.dispatch(&mut encoder);
    }
    gpu.queue.submit([encoder.finish()]);
    let c = pollster::block_on(product.read(&gpu)).unwrap();
    assert_close(&c, &a, &b, (m, k, n), "after 5 dispatches");
}

#[test]
fn mismatched_shapes_are_an_error_not_a_panic() {
    let gpu = gpu();
    for kernel in [MatmulKernel::naive(&gpu), MatmulKernel::tiled(&gpu).unwrap()] {
        let err = pollster::block_on(kernel.run(&gpu, &[1.0; 6], &[1.0; 6], 2, 3, 3)).unwrap_err();
        assert!(err.to_string().contains("shapes do not match"), "{err}");
    }
}
