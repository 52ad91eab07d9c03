//! The cache's pure rules: keys from the exact requests, the entry header that ties an entry to
//! this version of the app, which entries to evict, and how old an entry reads.

/// Bump when what the app stores changes shape; entries of another version are discarded.
pub const CACHE_SCHEMA: u32 = 1;

/// The most bytes the cache keeps (least recently used entries go first).
pub const MAX_BYTES: u64 = 300 * 1024 * 1024;
/// The most entries the cache keeps.
pub const MAX_ENTRIES: usize = 200;

/// What the cache knows about an entry without reading its data.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryMeta {
    pub key: String,
    /// [`format_version`] of the app that wrote it.
    pub format: u32,
    pub saved_at_ms: f64,
    pub used_at_ms: f64,
    pub bytes: u64,
    /// What it holds, for people ("fits · subject 730945").
    pub label: String,
}

fn fnv1a64(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// This app's entry format: the schema, the app's version and a hash of the code that
/// defines the payload (`build.rs`), so that an entry written by any other build is never read.
pub fn format_version() -> u32 {
    let h = fnv1a64(
        0xcbf2_9ce4_8422_2325,
        format!(
            "{CACHE_SCHEMA}/{}/{}",
            env!("CARGO_PKG_VERSION"),
            env!("AIND_CACHE_LAYOUT")
        )
        .as_bytes(),
    );
    (h ^ (h >> 32)) as u32
}

/// A key for the exact requests of a load: 128 bits of two FNV-1a hashes over the parts (with
/// separators, so that parts cannot run into each other).
pub fn cache_key(parts: &[&str]) -> String {
    let mut joined = Vec::new();
    for p in parts {
        joined.extend_from_slice(&(p.len() as u64).to_le_bytes());
        joined.extend_from_slice(p.as_bytes());
    }
    let a = fnv1a64(0xcbf2_9ce4_8422_2325, &joined);
    let b = fnv1a64(0x8422_2325_cbf2_9ce4, &joined);
    format!("{a:016x}{b:016x}")
}

const MAGIC: &[u8; 4] = b"AIRB";

/// The stored bytes: a magic number and the format version, then the payload.
pub fn wrap(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&format_version().to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// The payload of stored bytes written by this app version, or why they cannot be used.
pub fn unwrap(bytes: &[u8]) -> Result<&[u8], String> {
    if bytes.len() < 8 || &bytes[..4] != MAGIC {
        return Err("not an entry of this app".into());
    }
    let format = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    if format != format_version() {
        return Err("written by another version of the app".into());
    }
    Ok(&bytes[8..])
}

/// The keys to delete, least recently used first, so that `incoming` more bytes and one more
/// entry fit the limits. The entry being replaced (same key) does not count.
pub fn evictions(
    metas: &[EntryMeta],
    key: &str,
    incoming: u64,
    max_bytes: u64,
    max_entries: usize,
) -> Vec<String> {
    let others: Vec<&EntryMeta> = metas.iter().filter(|m| m.key != key).collect();
    let order = crate::sort::sorted_positions(others.len(), &|a, b| {
        others[a].used_at_ms.total_cmp(&others[b].used_at_ms)
    });
    let others: Vec<&EntryMeta> = order.into_iter().map(|i| others[i]).collect();
    let mut bytes: u64 = others.iter().map(|m| m.bytes).sum::<u64>() + incoming;
    let mut count = others.len() + 1;
    let mut out = Vec::new();
    for m in others {
        if bytes <= max_bytes && count <= max_entries {
            break;
        }
        bytes -= m.bytes;
        count -= 1;
        out.push(m.key.clone());
    }
    out
}

/// "loaded just now", "loaded 5 min ago", "loaded 3 h ago", "loaded 2 days ago".
pub fn age_text(now_ms: f64, saved_at_ms: f64) -> String {
    let secs = ((now_ms - saved_at_ms) / 1000.0).max(0.0);
    let mins = (secs / 60.0).floor();
    let hours = (secs / 3600.0).floor();
    let days = (secs / 86_400.0).floor();
    if secs < 60.0 {
        "loaded just now".into()
    } else if mins < 60.0 {
        format!("loaded {mins} min ago")
    } else if hours < 24.0 {
        format!("loaded {hours} h ago")
    } else if days < 2.0 {
        "loaded 1 day ago".into()
    } else {
        format!("loaded {days} days ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_depend_on_every_part_and_its_boundaries() {
        let k = cache_key(&["a", "bc"]);
        assert_eq!(k.len(), 32);
        assert_eq!(k, cache_key(&["a", "bc"]));
        assert_ne!(k, cache_key(&["ab", "c"]));
        assert_ne!(k, cache_key(&["a", "bd"]));
        assert_ne!(k, cache_key(&["a", "bc", ""]));
    }

    #[test]
    fn entries_of_other_versions_or_corrupted_are_refused() {
        let bytes = wrap(b"payload");
        assert_eq!(unwrap(&bytes), Ok(&b"payload"[..]));
        let mut other = bytes.clone();
        other[4] ^= 1;
        assert_eq!(
            unwrap(&other),
            Err("written by another version of the app".into())
        );
        assert!(unwrap(b"AIR").is_err());
        assert!(unwrap(b"{\"rows\": []}").is_err());
        assert_eq!(unwrap(&wrap(b"")), Ok(&b""[..]));
    }

    fn meta(key: &str, used: f64, bytes: u64) -> EntryMeta {
        EntryMeta {
            key: key.into(),
            format: format_version(),
            saved_at_ms: 0.0,
            used_at_ms: used,
            bytes,
            label: String::new(),
        }
    }

    #[test]
    fn least_recently_used_go_first() {
        let metas = [
            meta("a", 30.0, 40),
            meta("b", 10.0, 40),
            meta("c", 20.0, 40),
        ];
        assert_eq!(evictions(&metas, "new", 10, 200, 10), Vec::<String>::new());
        assert_eq!(evictions(&metas, "new", 50, 150, 10), ["b"]);
        assert_eq!(evictions(&metas, "new", 100, 150, 10), ["b", "c"]);
        // Replacing an entry frees its own bytes first.
        assert_eq!(evictions(&metas, "b", 60, 150, 10), Vec::<String>::new());
        // The entry count limit.
        assert_eq!(evictions(&metas, "new", 1, 1000, 3), ["b"]);
        // Bigger than the whole cache: everything else goes (the caller then skips storing).
        assert_eq!(evictions(&metas, "new", 1000, 150, 10), ["b", "c", "a"]);
    }

    #[test]
    fn ages() {
        let cases = [
            (0.0, "loaded just now"),
            (59.0, "loaded just now"),
            (60.0, "loaded 1 min ago"),
            (59.0 * 60.0, "loaded 59 min ago"),
            (3.0 * 3600.0 + 5.0, "loaded 3 h ago"),
            (25.0 * 3600.0, "loaded 1 day ago"),
            (50.0 * 3600.0, "loaded 2 days ago"),
            (-5.0, "loaded just now"),
        ];
        for (secs, text) in cases {
            assert_eq!(age_text(1e12 + secs * 1000.0, 1e12), text, "{secs}");
        }
    }
}
