//! A list shared between copies of a project: cloning it is a pointer copy, so a what-if
//! scenario (a copy of the project with other sectors) does not copy every building.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// A `Vec` behind an `Arc`: reads as the `Vec`; writing to a copy still shared makes the copy
/// its own first (copy on write), so one copy's change never shows in another.
#[derive(Debug, PartialEq)]
pub struct Shared<T>(Arc<Vec<T>>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Arc::clone(&self.0))
    }
}

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Shared(Arc::new(Vec::new()))
    }
}

impl<T> Deref for Shared<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        Arc::make_mut(&mut self.0)
    }
}

impl<T: Clone> Shared<T> {
    /// Appends `items`; into an empty list they move whole (a million villages are not copied).
    pub fn append_vec(&mut self, items: Vec<T>) {
        if self.is_empty() {
            *self = items.into();
        } else {
            self.extend(items);
        }
    }

    /// The list itself: moved out when nothing else shares it, else copied.
    pub fn into_vec(self) -> Vec<T> {
        Arc::unwrap_or_clone(self.0)
    }
}

impl<T> From<Vec<T>> for Shared<T> {
    fn from(v: Vec<T>) -> Self {
        Shared(Arc::new(v))
    }
}

impl<T> FromIterator<T> for Shared<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Shared(Arc::new(iter.into_iter().collect()))
    }
}

impl<'a, T> IntoIterator for &'a Shared<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a, T: Sync + 'a> rayon::iter::IntoParallelIterator for &'a Shared<T> {
    type Item = &'a T;
    type Iter = rayon::slice::Iter<'a, T>;
    fn into_par_iter(self) -> Self::Iter {
        use rayon::prelude::*;
        self.0.par_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_share_until_one_writes() {
        let a: Shared<i32> = vec![1, 2].into();
        let mut b = a.clone();
        assert_eq!(a.as_ptr(), b.as_ptr(), "a copy shares the list");
        b.push(3);
        assert_ne!(a.as_ptr(), b.as_ptr(), "a write makes the copy its own");
        assert_eq!((a.len(), b.len()), (2, 3));
    }
}
