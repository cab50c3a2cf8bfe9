//! Cursor pagination, the same on every list: `?limit=` (default 50, at most 200) and an opaque
//! `?cursor=` taken from the previous page's `next_cursor`: 32 hexadecimal digits. On the lists
//! the database keeps, a cursor is the id of the last item seen (so pages stay correct while
//! items are added); on the catalogue's lists, which do not change while the service runs, it is
//! the index of the next item. Either way every string of the documented form is a position a
//! client may ask for: one past the end is an empty last page.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use uuid::Uuid;

use crate::error::{ApiError, FieldError};
use crate::store::Keyset;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;
/// The documented form of a cursor: 32 lowercase hexadecimal digits, or empty.
const CURSOR_DIGITS: usize = 32;

/// The paging parameters of a list request.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 200.
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page; omit it (or leave it empty) for the first page.
    #[param(pattern = "^([0-9a-f]{32})?$", max_length = 32)]
    pub cursor: Option<String>,
}

/// A validated page request: how many items, from which position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: usize,
    pub after: Option<u128>,
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

/// A cursor's position, when it has the documented form.
fn decode_cursor(cursor: &str) -> Option<u128> {
    let well_formed = cursor.len() == CURSOR_DIGITS
        && cursor
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    well_formed
        .then(|| u128::from_str_radix(cursor, 16).ok())
        .flatten()
}

fn encode_cursor(position: u128) -> String {
    format!("{position:032x}")
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl PageRequest {
    /// Pages through an in-memory list that does not change while the service runs: the cursor
    /// is the index of the next item.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> (&'a [T], Option<String>) {
        let start = self
            .after
            .map_or(0, |index| usize::try_from(index).unwrap_or(usize::MAX))
            .min(items.len());
        let end = start.saturating_add(self.limit).min(items.len());
        let next = (end < items.len()).then(|| encode_cursor(end as u128));
        (&items[start..end], next)
    }
}

impl PageRequest {
    /// The database keyset for this page: rows after the cursor's id, one more than the limit so
    /// that [`PageRequest::finish`] can tell whether another page follows.
    pub fn keyset(&self) -> Result<Keyset, ApiError> {
        Ok(Keyset {
            after: self.after.map(Uuid::from_u128),
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
            .then(|| rows.last().map(|row| encode_cursor(id(row).as_u128())))
            .flatten();
        Page {
            items: rows.into_iter().map(render).collect(),
            next_cursor,
        }
    }
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
            let (slice, next) = page.slice(&items);
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
        let (slice, next) = request(Some(2), None).unwrap().slice(&items);
        assert_eq!(slice, items);
        assert_eq!(next, None);
    }

    #[test]
    fn out_of_range_limits_and_foreign_cursors_are_rejected_by_field() {
        for (limit, cursor, field) in [
            (Some(0), None, "limit"),
            (Some(201), None, "limit"),
            (None, Some("not hex!"), "cursor"),
            (None, Some("0123456789abcdef"), "cursor"),
            (None, Some("0123456789abcdef0123456789abcdeg"), "cursor"),
        ] {
            match request(limit, cursor) {
                Err(ApiError::Validation(errors)) => assert_eq!(errors[0].field, field),
                other => panic!("{limit:?} {cursor:?}: expected a validation error, got {other:?}"),
            }
        }
    }

    #[test]
    fn every_cursor_of_the_documented_form_is_a_position() {
        let items = ["a", "b", "c"];
        let past_the_end = request(Some(2), Some(&"f".repeat(32))).unwrap();
        assert_eq!(past_the_end.slice(&items), (&items[..0], None));
        assert_eq!(
            past_the_end.keyset().unwrap().after,
            Some(Uuid::from_u128(u128::MAX))
        );
        let id = Uuid::now_v7();
        let cursor = encode_cursor(id.as_u128());
        assert_eq!(cursor, id.simple().to_string());
        assert_eq!(
            request(None, Some(&cursor))
                .unwrap()
                .keyset()
                .unwrap()
                .after,
            Some(id)
        );
    }
}
