//! Memory budgets for work whose size a book decides: a book's own
//! templates can build a string twice as long at every `{% set %}`, and
//! minijinja bounds their steps, not their memory.
//!
//! [`bounded`] runs a closure with a budget of bytes for the thread it runs
//! on. The program's allocator asks [`take`] before each allocation and
//! tells [`give_back`] of each release; when a bounded closure would go
//! over its budget the program stops with a message (the library cannot
//! fail an allocation any other way). Outside a bounded closure, and in a
//! program whose allocator does not ask, nothing is counted.

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many bounded closures run, on all threads: while none does, the
/// allocator's question costs one relaxed load (a check of a large tree
/// makes millions of allocations and runs none).
static RUNNING: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The bytes the running bounded closure may still take, and its
    /// budget; `None` outside one.
    static LEFT: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
    /// The budget that was exceeded, for the message.
    static EXCEEDED: Cell<usize> = const { Cell::new(0) };
    /// What the running bounded closure does, for the message.
    static DOING: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
}

/// Run `f` with a budget of `bytes` on this thread (nested calls keep the
/// smaller budget); `doing` says what `f` does and `advice` what to do
/// when it goes over, in words that make "runsheet stopped: {doing}
/// needed more than N MiB of memory{advice}".
pub fn bounded<R>(bytes: usize, doing: &str, advice: &str, f: impl FnOnce() -> R) -> R {
    let outer = LEFT.with(Cell::get);
    // Replaced before the budget starts, so its allocation is not counted.
    let outer_doing = DOING.with(|d| d.replace((doing.to_string(), advice.to_string())));
    let inner = match outer {
        Some((left, _)) if left < bytes => (left, bytes),
        _ => (bytes, bytes),
    };
    LEFT.with(|c| c.set(Some(inner)));
    RUNNING.fetch_add(1, Ordering::Relaxed);
    let out = f();
    RUNNING.fetch_sub(1, Ordering::Relaxed);
    LEFT.with(|c| c.set(outer));
    DOING.with(|d| d.replace(outer_doing));
    out
}

/// Whether this thread may allocate `bytes` more; false when a bounded
/// closure would go over its budget. For the program's allocator: it
/// allocates nothing and never panics.
pub fn take(bytes: usize) -> bool {
    if RUNNING.load(Ordering::Relaxed) == 0 {
        return true;
    }
    LEFT.try_with(|c| match c.get() {
        None => true,
        Some((left, budget)) if bytes <= left => {
            c.set(Some((left - bytes, budget)));
            true
        }
        Some((_, budget)) => {
            // Counting stops, so writing the message allocates freely.
            c.set(None);
            let _ = EXCEEDED.try_with(|e| e.set(budget));
            false
        }
    })
    .unwrap_or(true)
}

/// `bytes` released on this thread.
pub fn give_back(bytes: usize) {
    if RUNNING.load(Ordering::Relaxed) == 0 {
        return;
    }
    let _ = LEFT.try_with(|c| {
        if let Some((left, budget)) = c.get() {
            c.set(Some((left.saturating_add(bytes).min(budget), budget)));
        }
    });
}

/// The budget a bounded closure went over on this thread, in bytes.
pub fn exceeded() -> usize {
    EXCEEDED.try_with(Cell::get).unwrap_or(0)
}

/// The message for a program that stops because a bounded closure went
/// over its budget on this thread.
pub fn exceeded_message() -> String {
    let (doing, advice) = DOING
        .try_with(|d| d.try_borrow().map(|d| d.clone()).unwrap_or_default())
        .unwrap_or_default();
    let doing = if doing.is_empty() {
        "a step".to_string()
    } else {
        doing
    };
    format!(
        "runsheet stopped: {doing} needed more than {} MiB of memory{advice}\n",
        exceeded() >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_counts_what_is_taken_and_given_back_inside_it() {
        assert!(take(usize::MAX), "outside a bounded closure nothing counts");
        bounded(100, "a test", "", || {
            assert!(take(60));
            assert!(!take(60));
            assert_eq!(exceeded(), 100);
        });
        bounded(100, "a test", "", || {
            assert!(take(60));
            give_back(60);
            assert!(take(90));
            // A nested budget keeps the smaller one.
            bounded(1_000, "a test", "", || assert!(!take(20)));
        });
        assert!(take(usize::MAX));
    }
}
