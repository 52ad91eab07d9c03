//! A fit's latent variables, read from its S3 folder in the reference's order of result files
//! (see [`RESULT_FILES`]) through [`crate::net::s3_read`], at most 10 files at a time. What a
//! folder gave is kept for the visit (the latents, not the file), so no file is fetched twice;
//! a failure that may pass (the network, a 5xx, a refused read after "Try again") is not kept.

use std::cell::RefCell;
use std::collections::HashMap;

use futures::future::{FutureExt, LocalBoxFuture, Shared};

use crate::net::s3::S3Path;
use crate::net::s3_read::{first_of, urls, FirstOf, ReadError};

use super::latents::{read_latents, Latents, RESULT_FILES};

/// What became of one fit's latent variables.
#[derive(Debug, Clone, PartialEq)]
pub enum FitLatents {
    Read {
        file: &'static str,
        url: String,
        latents: Latents,
    },
    /// None of the result files exists (normal: not every fit kept one).
    Missing,
    /// The browser may not read the bucket (no CORS): the files, for links.
    Refused { urls: Vec<String> },
    /// Something is wrong with the file or its answer: what, where, and whether it may pass.
    Failed {
        url: Option<String>,
        message: String,
        transient: bool,
    },
}

impl FitLatents {
    /// A one-line account for the page.
    pub fn summary(&self) -> String {
        match self {
            FitLatents::Read { file, latents, .. } => {
                let mut s = format!("{} trials from {file}", latents.choices.len());
                if latents.q_value.is_none() {
                    s.push_str(" (no q-values, so no RPE)");
                }
                s
            }
            FitLatents::Missing => "no result file in its S3 folder".into(),
            FitLatents::Refused { .. } => "the browser may not read the bucket (CORS)".into(),
            FitLatents::Failed { message, .. } => message.clone(),
        }
    }
}

thread_local! {
    /// What each folder gave in this visit, by folder URL.
    static FOLDERS: RefCell<HashMap<String, Shared<LocalBoxFuture<'static, FitLatents>>>> =
        RefCell::new(HashMap::new());
}

/// Whether asking again later could give something else.
fn passing(l: &FitLatents) -> bool {
    matches!(
        l,
        FitLatents::Refused { .. }
            | FitLatents::Failed {
                transient: true,
                ..
            }
    )
}

/// The latent variables of the fit stored at `s3_location`, read once per visit.
pub async fn load(s3_location: &str, s3_base: Option<&str>) -> FitLatents {
    let key = format!("{}|{s3_location}", s3_base.unwrap_or_default());
    let pending = FOLDERS.with(|f| {
        f.borrow_mut()
            .entry(key.clone())
            .or_insert_with(|| {
                let (loc, base) = (s3_location.to_string(), s3_base.map(str::to_string));
                async move { read(&loc, base.as_deref()).await }
                    .boxed_local()
                    .shared()
            })
            .clone()
    });
    let out = pending.await;
    if passing(&out) {
        FOLDERS.with(|f| f.borrow_mut().remove(&key));
    }
    out
}

async fn read(s3_location: &str, s3_base: Option<&str>) -> FitLatents {
    let folder = match S3Path::parse(s3_location) {
        Ok(f) => f,
        Err(e) => {
            return FitLatents::Failed {
                url: None,
                message: format!("its S3 location cannot be read: {e}"),
                transient: false,
            }
        }
    };
    match first_of(&folder, &RESULT_FILES, s3_base).await {
        FirstOf::Found { name, url, json } => match read_latents(&json) {
            Ok(latents) => FitLatents::Read {
                file: name,
                url,
                latents,
            },
            Err(e) => FitLatents::Failed {
                url: Some(url),
                message: format!("{name}: {e}"),
                transient: false,
            },
        },
        FirstOf::Missing { .. } => FitLatents::Missing,
        FirstOf::Failed(ReadError::Refused { .. }) => FitLatents::Refused {
            urls: urls(&folder, &RESULT_FILES, s3_base),
        },
        FirstOf::Failed(e) => {
            let name = e.url().rsplit('/').next().unwrap_or_default().to_string();
            FitLatents::Failed {
                url: Some(e.url().to_string()),
                message: format!("{name}: {e}"),
                transient: e.is_transient(),
            }
        }
    }
}
