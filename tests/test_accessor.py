"""The stateless df.wellbeing accessor."""

from __future__ import annotations

import pandas as pd

import wellbeing_framework as wf


class TestAccessor:
    def test_delegates(self, framework: wf.Framework) -> None:
        """Each accessor method gives what the function gives."""
        data = pd.DataFrame(
            {"person_id": ["a", "b"], **{k: [2, 5] for k in framework.indicator_keys}}
        )
        pd.testing.assert_frame_equal(data.wellbeing.score(framework), wf.score(data, framework))
        assert data.wellbeing.validate(framework).ok
        long = data.wellbeing.to_long(framework)
        pd.testing.assert_frame_equal(long, wf.to_long(data, framework))
        pd.testing.assert_frame_equal(
            long.wellbeing.to_wide(framework), wf.to_wide(long, framework)
        )

    def test_passes_rules_and_options(self, framework: wf.Framework) -> None:
        """Rules and keyword options reach the function."""
        data = pd.DataFrame({k: [3] for k in framework.indicator_keys})
        scores = data.wellbeing.score(framework, wf.ScoringRules(flags=()), person=None)
        assert "flag_safeguarding" not in scores.columns

    def test_stateless(self, framework: wf.Framework) -> None:
        """The accessor keeps no state between accesses."""
        data = pd.DataFrame({"person_id": ["a"], "rb1": [3]})
        assert vars(data.wellbeing) == {"_data": data} or set(vars(data.wellbeing)) == {"_data"}
