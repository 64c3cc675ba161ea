//! Where a page's links lead. A link to another page of the site keeps the reader's
//! language (SPEC §3), except to a page that `fallback: skip` leaves out of that language:
//! such a link leads to the default language's page and says so with `hreflang`.

use crate::localize::Lang;
use crate::model::Site;
use crate::plan::{self, Kind, Page};

use super::keyed::Keyed;

/// A link to a page, from a page of the language `lang`.
pub(crate) struct Link {
    /// From the language's root (`page.root`): `ftp/421/`, or `../ftp/421/` for the
    /// default language's page.
    pub path: String,
    /// The default language's `html_lang` when the link leaves the reader's language, else
    /// empty.
    pub hreflang: String,
}

impl Link {
    pub(crate) fn to(lang: Lang<'_>, kind: Kind) -> Link {
        let site = lang.site;
        let path = plan::path_of(site, kind);
        let path = path.trim_start_matches('/');
        if plan::exists(
            site,
            Page {
                kind,
                locale: lang.locale,
            },
        ) {
            return Link {
                path: path.to_owned(),
                hreflang: String::new(),
            };
        }
        // Only a language other than the default leaves a page out, and every such
        // language's root is one folder below the default's.
        Link {
            path: format!("../{path}"),
            hreflang: site.locale(Site::DEFAULT_LOCALE).html_lang.clone(),
        }
    }

    /// `path` and `hreflang`, as template values.
    pub(crate) fn fields(&self) -> [(&'static str, Keyed); 2] {
        [
            ("path", Keyed::text(&self.path)),
            ("hreflang", Keyed::text(&self.hreflang)),
        ]
    }
}
