//! Enums a choice field picks from. Each enum names its variants in one `(variant, name)` table;
//! the field's choices and the variant a spec picks both come from it, so they cannot disagree.

/// The names of `table`, in order: a choice field's choices.
pub const fn names<T: Copy, const N: usize>(table: &[(T, &'static str); N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = table[i].1;
        i += 1;
    }
    out
}

/// The variants of `table`, in order.
pub const fn variants<T: Copy, const N: usize>(table: &[(T, &'static str); N]) -> [T; N] {
    let mut out = [table[0].0; N];
    let mut i = 0;
    while i < N {
        out[i] = table[i].0;
        i += 1;
    }
    out
}

/// The name `table` gives `variant` (`""` for a variant the table leaves out, which its tests rule out).
pub fn name_of<T: Copy + PartialEq>(table: &[(T, &'static str)], variant: T) -> &'static str {
    table.iter().find(|(v, _)| *v == variant).map_or("", |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq)]
    enum Speed {
        Fast,
        Slow,
    }
    const NAMED: [(Speed, &str); 2] = [(Speed::Fast, "fast"), (Speed::Slow, "slow")];

    #[test]
    fn one_table_gives_names_variants_and_lookups() {
        assert_eq!(names(&NAMED), ["fast", "slow"]);
        assert_eq!(variants(&NAMED), [Speed::Fast, Speed::Slow]);
        assert_eq!(name_of(&NAMED, Speed::Slow), "slow");
        assert_eq!(name_of(&NAMED[..1], Speed::Slow), "");
    }
}
