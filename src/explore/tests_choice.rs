//! The explorer's choices from the URL: what can be used, the fallbacks, and the sentence for
//! each value that cannot.

use super::choice::{flag_problem, mode_problem};
use super::tests::{rows, spec};
use super::*;
use crate::charts::encode::Palette;

#[test]
fn choices_from_the_url_fall_back_and_say_why() {
    let (spec, rows) = (spec(), rows());
    let a = axes(&spec, &rows);
    let g = groupings(&spec, &rows, &a);
    let p = Params {
        x: Some("aic".into()),
        y: Some("nope".into()),
        color: Some("model".into()),
        log_y: true,
        ..Params::default()
    };
    let (c, problems) = Choice::resolve(&p, &a, &g, ("date", "aic"));
    assert_eq!(
        (c.x.as_str(), c.y.as_str(), c.color.as_deref(), c.log_y),
        ("aic", "aic", Some("model"), true)
    );
    assert_eq!(problems, ["ex_y: no column \"nope\" to draw; aic shown."]);
    // A numeric colour is a scale; a shape must be a text column, a size a number; looks parse.
    let p = Params {
        color: Some("aic".into()),
        shape: Some("aic".into()),
        size: Some("model".into()),
        palette: Some("magma".into()),
        reversed: true,
        size_px: Some("3-12".into()),
        gamma: Some("0.5".into()),
        ..Params::default()
    };
    let (c, problems) = Choice::resolve(&p, &a, &g, ("date", "missing"));
    assert_eq!(
        (
            c.x.as_str(),
            c.y.as_str(),
            c.color.as_deref(),
            c.shape,
            c.size
        ),
        ("date", "date", Some("aic"), None, None)
    );
    assert_eq!(
        c.look,
        Look {
            palette: Palette::Magma,
            reversed: true,
            size_px: (3.0, 12.0),
            gamma: 0.5
        }
    );
    assert_eq!(
        problems,
        [
            "ex_shape: no column \"aic\" to use; none used.",
            "ex_size: no column \"model\" to use; none used."
        ]
    );
    // Looks out of range fall back and say so.
    let p = Params {
        palette: Some("rainbow".into()),
        size_px: Some("10-2".into()),
        gamma: Some("0".into()),
        ..Params::default()
    };
    let (c, problems) = Choice::resolve(&p, &a, &g, ("date", "aic"));
    assert_eq!(c.look, Look::default());
    assert_eq!(problems.len(), 3);
    assert!(problems[1].starts_with("ex_size_px: \"10-2\" is not a radius range"));
}

#[test]
fn switches_and_the_mode_explain_values_they_cannot_use() {
    for ok in [None, Some("1"), Some("true"), Some("0"), Some("false")] {
        assert_eq!(flag_problem("ex_logx", ok), None);
    }
    assert_eq!(
        flag_problem("ex_logx", Some("yes")).as_deref(),
        Some("ex_logx: \"yes\" is not 1 or 0; off.")
    );
    assert_eq!(mode_problem(Some("pair")), None);
    assert_eq!(mode_problem(None), None);
    assert_eq!(
        mode_problem(Some("pairs")).as_deref(),
        Some("ex_mode: \"pairs\" is not a view (pair or scatter); the scatter shown.")
    );
}
