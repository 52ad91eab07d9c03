//! Calendar dates as day numbers (days since 1970-01-01), so that a date axis is a number axis
//! with date labels. Proleptic Gregorian, after Howard Hinnant's `days_from_civil`.

/// `YYYY-MM-DD` (anything after the day is ignored) as a day number.
pub fn day_number(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    // Record text: anything but ASCII digits and dashes in the first ten bytes is not a date
    // (and slicing it by bytes could cut a character).
    if b.len() < 10 || !b[..10].is_ascii() || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &str| s.parse::<i64>().ok();
    let (y, m, d) = (num(&date[0..4])?, num(&date[5..7])?, num(&date[8..10])?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// A day number as `YYYY-MM-DD`.
pub fn date_of(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_days() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(day_number("2024-02-29"), Some(19_782));
        assert_eq!(day_number("2024-01-16T10:52:48"), Some(19_738));
        for d in [-1, 0, 59, 11_016, 19_782, 20_500] {
            assert_eq!(day_number(&date_of(d)), Some(d));
        }
        assert_eq!(date_of(19_738), "2024-01-16");
        assert_eq!(day_number("2024-13-01"), None);
        assert_eq!(day_number("16/01/2024"), None);
        assert_eq!(day_number(""), None);
        assert_eq!(day_number("2024-01-0é"), None);
        assert_eq!(day_number("2024-é1-01"), None);
    }
}
