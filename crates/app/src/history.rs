//! The scenario's undo/redo history: whole scenario states, so that undo restores exactly what
//! was computed before.

use covplan_core::project::ScenarioSpec;

/// Scenario states, oldest first, and the one in force. Every state is a whole scenario, so
/// undo restores exactly what was computed before.
#[derive(Debug, Clone)]
pub struct History {
    states: Vec<ScenarioSpec>,
    at: usize,
}

impl Default for History {
    fn default() -> History {
        History::new(ScenarioSpec::default())
    }
}

impl History {
    /// A history starting at `spec`.
    pub fn new(spec: ScenarioSpec) -> History {
        History { states: vec![spec], at: 0 }
    }

    /// The scenario in force.
    pub fn current(&self) -> ScenarioSpec {
        self.states[self.at].clone()
    }

    /// Records a new state (dropping any redo states) and returns it.
    pub fn push(&mut self, spec: ScenarioSpec) -> ScenarioSpec {
        self.states.truncate(self.at + 1);
        self.states.push(spec.clone());
        self.at += 1;
        spec
    }

    /// Steps back, returning the state to apply.
    pub fn undo(&mut self) -> Option<ScenarioSpec> {
        (self.at > 0).then(|| {
            self.at -= 1;
            self.current()
        })
    }

    /// Steps forward again.
    pub fn redo(&mut self) -> Option<ScenarioSpec> {
        (self.at + 1 < self.states.len()).then(|| {
            self.at += 1;
            self.current()
        })
    }

    /// Whether undo / redo can step.
    pub fn can(&self) -> (bool, bool) {
        (self.at > 0, self.at + 1 < self.states.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_undoes_and_redoes_whole_states() {
        let mut h = History::default();
        let a = ScenarioSpec { removed: vec!["A".into()], sectors: vec![], ..Default::default() };
        let b = ScenarioSpec { removed: vec!["A".into(), "B".into()], sectors: vec![], ..Default::default() };
        h.push(a.clone());
        h.push(b.clone());
        assert_eq!(h.undo(), Some(a.clone()));
        assert_eq!(h.undo(), Some(ScenarioSpec::default()));
        assert_eq!(h.undo(), None);
        assert_eq!(h.redo(), Some(a.clone()));
        h.push(b.clone());
        assert_eq!(h.redo(), None, "a new edit drops the redo states");
        assert_eq!(h.can(), (true, false));
    }
}
