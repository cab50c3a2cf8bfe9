//! Cursor pagination, the same on every list: `?limit=` (default 50, at most 200) and an opaque
//! `?cursor=` taken from the previous page's `next_cursor`. A cursor names the last item seen,
//! never a position, so pages stay correct while items are added.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use uuid::Uuid;

use crate::error::{ApiError, FieldError};
use crate::store::Keyset;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;
const CURSOR_PREFIX: &str = "v1:";
const MAX_CURSOR_LENGTH: usize = 512;

/// The paging parameters of a list request.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 200.
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page; omit it (or leave it empty) for the first page.
    #[param(pattern = "^[A-Za-z0-9_-]*$", max_length = 512)]
    pub cursor: Option<String>,
}

/// A validated page request: how many items, after which key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: usize,
    pub after: Option<String>,
}

impl PageQuery {
    pub fn parse(&self) -> Result<PageRequest, ApiError> {
        let mut errors = Vec::new();
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            errors.push(FieldError::new(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        // An empty cursor means the first page, for clients that send `cursor=` with no value.
        let cursor = self.cursor.as_deref().filter(|c| !c.is_empty());
        let after = match cursor.map(decode_cursor) {
            None => None,
            Some(Some(key)) => Some(key),
            Some(None) => {
                errors.push(FieldError::new("cursor", "is not a cursor this API issued"));
                None
            }
        };
        if errors.is_empty() {
            Ok(PageRequest {
                limit: limit as usize,
                after,
            })
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl PageRequest {
    /// Pages through an in-memory list whose items are identified by `key`, in the list's order.
    /// A cursor naming an item that no longer exists is rejected rather than silently restarting.
    pub fn slice<'a, T>(
        &self,
        items: &'a [T],
        key: impl Fn(&T) -> &str,
    ) -> Result<(&'a [T], Option<String>), ApiError> {
        let start =
            match &self.after {
                None => 0,
                Some(after) => items
                    .iter()
                    .position(|item| key(item) == after)
                    .ok_or_else(|| {
                        ApiError::Validation(vec![FieldError::new(
                            "cursor",
                            "points at an item that no longer exists; start again without a cursor",
                        )])
                    })?
                    + 1,
            };
        let end = (start + self.limit).min(items.len());
        let page = &items[start..end];
        let next = (end < items.len())
            .then(|| page.last().map(|item| encode_cursor(key(item))))
            .flatten();
        Ok((page, next))
    }
}

impl PageRequest {
    /// The database keyset for this page: rows after the cursor's id, one more than the limit so
    /// that [`PageRequest::finish`] can tell whether another page follows.
    pub fn keyset(&self) -> Result<Keyset, ApiError> {
        let after = match &self.after {
            None => None,
            Some(key) => Some(key.parse::<Uuid>().map_err(|_| {
                ApiError::Validation(vec![FieldError::new(
                    "cursor",
                    "is not a cursor this API issued",
                )])
            })?),
        };
        Ok(Keyset {
            after,
            limit: self.limit as u64 + 1,
        })
    }

    /// Turns the rows of [`PageRequest::keyset`] into a page of documents.
    pub fn finish<R, T>(
        &self,
        mut rows: Vec<R>,
        id: impl Fn(&R) -> Uuid,
        render: impl Fn(R) -> T,
    ) -> Page<T> {
        let more = rows.len() > self.limit;
        rows.truncate(self.limit);
        let next_cursor = more
            .then(|| rows.last().map(|row| encode_cursor(&id(row).to_string())))
            .flatten();
        Page {
            items: rows.into_iter().map(render).collect(),
            next_cursor,
        }
    }
}

/// Cursors are opaque to clients; the version prefix lets their format change later.
pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{key}"))
}

fn decode_cursor(cursor: &str) -> Option<String> {
    if cursor.len() > MAX_CURSOR_LENGTH {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    text.strip_prefix(CURSOR_PREFIX).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(limit: Option<u32>, cursor: Option<&str>) -> Result<PageRequest, ApiError> {
        PageQuery {
            limit,
            cursor: cursor.map(str::to_owned),
        }
        .parse()
    }

    #[test]
    fn pages_walk_the_whole_list_once() {
        let items = ["a", "b", "c", "d", "e"];
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = request(Some(2), cursor.as_deref()).unwrap();
            let (slice, next) = page.slice(&items, |s| s).unwrap();
            seen.extend_from_slice(slice);
            match next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, items);
    }

    #[test]
    fn an_empty_cursor_asks_for_the_first_page() {
        assert_eq!(
            request(Some(2), Some("")).unwrap(),
            request(Some(2), None).unwrap()
        );
    }

    #[test]
    fn an_exactly_full_last_page_has_no_next_cursor() {
        let items = ["a", "b"];
        let (slice, next) = request(Some(2), None)
            .unwrap()
            .slice(&items, |s| s)
            .unwrap();
        assert_eq!(slice, items);
        assert_eq!(next, None);
    }

    #[test]
    fn out_of_range_limits_and_foreign_cursors_are_rejected_by_field() {
        for (limit, cursor, field) in [
            (Some(0), None, "limit"),
            (Some(201), None, "limit"),
            (None, Some("not base64!"), "cursor"),
            (None, Some("Zm9v"), "cursor"),
        ] {
            match request(limit, cursor) {
                Err(ApiError::Validation(errors)) => assert_eq!(errors[0].field, field),
                other => panic!("{limit:?} {cursor:?}: expected a validation error, got {other:?}"),
            }
        }
    }
}
