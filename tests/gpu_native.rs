//! WGSL compute through wgpu's Vulkan backend (lavapipe in CI): the shader agrees with its CPU twin.
#![cfg(not(target_arch = "wasm32"))]

use lr_playground::gpu::{matmul_cpu, Gpu, NaiveMatmul};

fn values(len: usize, seed: u32) -> Vec<f32> {
    // Small exact-in-f32 values, so the only difference could come from the order of additions.
    (0..len).map(|i| ((i as u32 * 37 + seed * 11) % 17) as f32 / 8.0 - 1.0).collect()
}

#[test]
fn naive_matmul_matches_cpu_on_a_non_square_product() {
    let gpu = pollster::block_on(Gpu::new()).expect("a Vulkan adapter (mesa-vulkan-drivers gives lavapipe)");
    let (m, k, n) = (37, 19, 23);
    let (a, b) = (values(m * k, 1), values(k * n, 2));
    let c = pollster::block_on(NaiveMatmul::new(&gpu).run(&gpu, &a, &b, m, k, n)).unwrap();
    assert_eq!(c, matmul_cpu(&a, &b, m, k, n));
    assert!(c.iter().any(|&x| x != 0.0));
}

#[test]
fn mismatched_shapes_are_an_error_not_a_panic() {
    let gpu = pollster::block_on(Gpu::new()).unwrap();
    let err = pollster::block_on(NaiveMatmul::new(&gpu).run(&gpu, &[1.0; 6], &[1.0; 6], 2, 3, 3)).unwrap_err();
    assert!(err.to_string().contains("shapes do not match"), "{err}");
}
