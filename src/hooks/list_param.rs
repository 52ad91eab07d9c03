//! A list of names in one URL parameter (`ex_hide=a,b`): names joined by commas, a comma or a
//! backslash inside a name escaped with a backslash, so that any name survives the round trip
//! (a group of a text column may hold commas). Lists written before escaping read the same.
//! Pure, tested on the host.

/// The names of `text`, in order; empty names are dropped.
pub fn split_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            // Only `\,` and `\\` are escapes; any other backslash is itself (as in older lists).
            '\\' => match chars.clone().next() {
                Some(next @ (',' | '\\')) => {
                    chars.next();
                    cur.push(next);
                }
                _ => cur.push('\\'),
            },
            ',' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// `names` as one parameter value, read back whole by [`split_list`].
pub fn join_list<S: AsRef<str>>(names: &[S]) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for c in name.as_ref().chars() {
            if c == ',' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lists_read_as_before() {
        assert_eq!(split_list("a,b"), ["a", "b"]);
        assert_eq!(split_list(",a,,b,"), ["a", "b"]);
        assert!(split_list("").is_empty());
        assert_eq!(
            join_list(&["QLearning_L1F0_CK1", "WSLS"]),
            "QLearning_L1F0_CK1,WSLS"
        );
    }

    #[test]
    fn names_with_commas_and_backslashes_round_trip() {
        let names = ["tag, v2", "a\\b", "end\\", ",", "plain"];
        let text = join_list(&names);
        assert_eq!(text, "tag\\, v2,a\\\\b,end\\\\,\\,,plain");
        assert_eq!(split_list(&text), names);
    }

    #[test]
    fn a_trailing_backslash_is_kept() {
        assert_eq!(split_list("a\\"), ["a\\"]);
    }

    #[test]
    fn other_backslashes_read_as_before() {
        assert_eq!(split_list("a\\b,c"), ["a\\b", "c"]);
    }
}
