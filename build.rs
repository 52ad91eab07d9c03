//! Ties cached results to the code that wrote them: a hash of the files that define the cache
//! payload becomes `AIND_CACHE_LAYOUT`, part of every cache entry's version, so that any change
//! to the rows or their encoding makes older entries unreadable (they are then deleted, never
//! decoded into the wrong fields).

const LAYOUT_FILES: [&str; 3] = [
    "src/datasets/foraging/cache.rs",
    "src/datasets/foraging/rows.rs",
    "src/net/cache/codec.rs",
];

fn main() {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for f in LAYOUT_FILES {
        println!("cargo:rerun-if-changed={f}");
        let bytes = std::fs::read(f).unwrap_or_default();
        for b in f.as_bytes().iter().chain(&bytes) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=AIND_CACHE_LAYOUT={h:016x}");
}
