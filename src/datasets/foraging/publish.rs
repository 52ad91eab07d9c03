//! When a load shows the rows that have arrived so far, before the rest.

/// How often a growing table is shown again while pages arrive. Each time costs merging,
/// sorting and drawing every row so far, and reorders the rows under the reader's eyes; the
/// progress bar moves in between.
const PUBLISH_EVERY_MS: f64 = 2000.0;

/// Whether the rows that have arrived are worth showing before the rest: never before the
/// first record (the count usually answers before the first page), always the first time
/// after it (the first rows), then every [`PUBLISH_EVERY_MS`] while the rest is still expected to
/// take longer than that, at the pace records have come so far. A table shown just before the
/// complete one only delays it (merging, sorting and drawing every row once more).
pub fn worth_publishing(
    records: u64,
    expected: Option<u64>,
    since_start_ms: f64,
    since_last_ms: f64,
) -> bool {
    let Some(expected) = expected else {
        return records > 0 && since_last_ms >= PUBLISH_EVERY_MS;
    };
    if records == 0 || records >= expected {
        return false;
    }
    if since_last_ms.is_infinite() {
        return true;
    }
    let remaining_ms = (expected - records) as f64 * since_start_ms / records as f64;
    since_last_ms >= PUBLISH_EVERY_MS && remaining_ms > PUBLISH_EVERY_MS
}

#[cfg(test)]
mod tests {
    use super::worth_publishing;

    const NEVER: f64 = f64::INFINITY;

    #[test]
    fn the_first_rows_show_at_once() {
        assert!(worth_publishing(500, Some(30_000), 40.0, NEVER));
        assert!(worth_publishing(29_999, Some(30_000), 5_000.0, NEVER));
    }

    #[test]
    fn nothing_before_the_first_record() {
        // Counted, no page yet: an empty table is not the first rows.
        assert!(!worth_publishing(0, Some(30_000), 40.0, NEVER));
        assert!(!worth_publishing(0, Some(30_000), 40_000.0, 40_000.0));
    }

    #[test]
    fn nothing_more_when_every_record_is_in() {
        assert!(!worth_publishing(30_000, Some(30_000), 5_000.0, NEVER));
        assert!(!worth_publishing(30_001, Some(30_000), 5_000.0, 2_000.0));
    }

    #[test]
    fn again_only_after_a_while_and_while_the_rest_takes_longer() {
        // A third in after 4 s: the rest takes about 8 s more.
        assert!(worth_publishing(10_000, Some(30_000), 4_000.0, 2_000.0));
        assert!(!worth_publishing(10_000, Some(30_000), 4_000.0, 1_999.0));
        // 26,000 of 30,000 after 2.6 s: the rest is expected in 0.4 s.
        assert!(!worth_publishing(26_000, Some(30_000), 2_600.0, 2_000.0));
        // The same share after 26 s: 4 s more.
        assert!(worth_publishing(26_000, Some(30_000), 26_000.0, 2_000.0));
    }

    #[test]
    fn without_a_count_every_two_seconds() {
        assert!(worth_publishing(10, None, 5_000.0, 2_000.0));
        assert!(!worth_publishing(10, None, 5_000.0, 10.0));
        assert!(worth_publishing(1, None, 5_000.0, NEVER));
        assert!(!worth_publishing(0, None, 5_000.0, NEVER));
    }
}
