//! The synthetic data sets' bits pinned across platforms and releases: the same seed gives the
//! same points natively (`tests/native`) and in wasm (`tests/web`, in Node and in Chromium).

use lr_playground::data::{synthetic, Split, SyntheticKind, SyntheticSpec, Targets};

/// An FNV-1a hash of a split's bits.
fn fingerprint(s: &Split) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    let mut eat = |word: u32| {
        for byte in word.to_le_bytes() {
            hash = (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for part in [&s.train, &s.validation] {
        part.x.iter().for_each(|v| eat(v.to_bits()));
        match &part.targets {
            Targets::Classes { labels, .. } => labels.iter().for_each(|&c| eat(c)),
            Targets::Values { values, .. } => values.iter().for_each(|v| eat(v.to_bits())),
        }
    }
    hash
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn same_bits_everywhere() {
    let got: Vec<(&str, u64)> = SyntheticKind::ALL
        .into_iter()
        .map(|kind| (kind.name(), fingerprint(&synthetic(&SyntheticSpec::new(kind, 200, 0.2, 0.25, 42)))))
        .collect();
    let want = [
        ("circle", 9510811521494823726),
        ("xor", 12947407347329272443),
        ("gauss", 8599348524901337068),
        ("spiral", 11963847787353494435),
        ("moons", 12518153778639340139),
        ("reg_plane", 9158499352497627654),
        ("reg_gauss", 12830430268051048414),
    ];
    assert_eq!(got, want);
}
