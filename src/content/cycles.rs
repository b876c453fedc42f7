//! Prerequisite cycles: a module that needs itself, through others, can never open.

use std::collections::{HashMap, HashSet};

/// Prerequisite cycles among `modules` (id -> prerequisites), each as the
/// ids around the loop, starting from its smallest id.
pub fn prerequisite_cycles(modules: &[(&str, &[String])]) -> Vec<Vec<String>> {
    let index: HashMap<&str, usize> = modules.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
    // 0 unvisited, 1 on the stack, 2 done
    let mut state = vec![0u8; modules.len()];
    let mut cycles = Vec::new();
    let mut seen = HashSet::new();
    for start in 0..modules.len() {
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        if state[start] != 0 {
            continue;
        }
        state[start] = 1;
        while let Some((node, next)) = stack.last().copied() {
            let prereqs = modules[node].1;
            if next < prereqs.len() {
                if let Some(last) = stack.last_mut() {
                    last.1 += 1;
                }
                let Some(&child) = index.get(prereqs[next].as_str()) else { continue };
                match state[child] {
                    0 => {
                        state[child] = 1;
                        stack.push((child, 0));
                    }
                    1 => {
                        let from = stack.iter().position(|(n, _)| *n == child).unwrap_or(0);
                        let mut ring: Vec<String> =
                            stack[from..].iter().map(|(n, _)| modules[*n].0.to_string()).collect();
                        let min = ring.iter().enumerate().min_by_key(|(_, id)| id.as_str()).map_or(0, |(i, _)| i);
                        ring.rotate_left(min);
                        if seen.insert(ring.clone()) {
                            cycles.push(ring);
                        }
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cycles_once() {
        let a = vec!["b".to_string()];
        let b = vec!["c".to_string()];
        let c = vec!["a".to_string(), "d".to_string()];
        let d: Vec<String> = vec![];
        let mods: Vec<(&str, &[String])> = vec![("a", &a), ("b", &b), ("c", &c), ("d", &d)];
        assert_eq!(prerequisite_cycles(&mods), vec![vec!["a".to_string(), "b".to_string(), "c".to_string()]]);
    }
}
