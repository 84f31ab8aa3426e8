"""Crisis detection, the statistics: pure functions, no models, no database.

One module per part: ``rules`` (windows, causes, severities, a rule's numbers), ``baseline``,
``tails`` (tail probabilities), ``triggers`` (trigger words) and ``evaluation``.

The services (reputation.services.crisis_evaluation) count a brand's mentions in a few windows
and call ``evaluate``; the simulator (reputation.crisis_sim) and the quality command call the
very same functions on synthetic streams. What the defaults achieve is measured and written down in
docs/performance.md ("Crisis detection").

The model, in short:

- **Baseline.** Expected mentions per hour = level x hour-of-day factor x day-of-week factor,
  estimated from the brand's history (four weeks by default) in the agency's time zone. This
  is an hour-of-week seasonality factorised into 24 + 7 factors, so that four weeks of a small
  brand give stable estimates (a free 168-cell table would have 4 samples per cell). Kept
  separately for all mentions and for negative ones.
- **Overdispersion.** Hourly counts are negative binomial with variance mu + alpha * mu^2;
  alpha is estimated per brand and per series by the method of moments on the history's
  residuals; when the variance does not exceed the mean, alpha = 0 (Poisson).
- **Windows.** A short window (1 hour) and a long one (24 hours). A window is anomalous when
  its count is at least ``min_ratio`` times the expected count, at least the rule's minimum
  volume, and its negative-binomial upper tail probability is below ``p_value``. The anomaly
  must hold over **two consecutive windows**, the second starting half a window after the
  first (evaluated every 30 minutes for the short window), so that one unlucky slot is not
  an incident.
- **Other causes.** The negative share of the short window above a floor, or jumping well
  above the brand's usual share; trigger words (fr, en, ar, Darija in both scripts) in
  negative mentions; a negative mention by an author with a large audience.
"""
