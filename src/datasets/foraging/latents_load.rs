//! A fit's latent variables, read from its S3 folder in the reference's order of result files
//! (see [`RESULT_FILES`]) through [`crate::net::s3_read`]: each file once per visit, at most 10
//! at a time.

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
    /// Something is wrong with the file or its answer: what, and where.
    Failed {
        url: Option<String>,
        message: String,
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

/// Reads the latent variables of the fit stored at `s3_location`.
pub async fn load(s3_location: &str, s3_base: Option<&str>) -> FitLatents {
    let folder = match S3Path::parse(s3_location) {
        Ok(f) => f,
        Err(e) => {
            return FitLatents::Failed {
                url: None,
                message: format!("its S3 location cannot be read: {e}"),
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
            }
        }
    }
}
