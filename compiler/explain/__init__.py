"""Explanations of decisions, in the statute's own words: why, why not, and what would change them.

    evaluator = GeneratedEvaluator(checked, module)        # compiler/backends/python/generated.py
    explanation = decision.explain(checked, evaluator, evaluator.read_case(data), render.locale_for("en"))
    text = render.render(explanation, "html", locale)

Everything here reads the evaluator through the typed protocol of compiler/model/evaluator.py. The stages: tracetree
(the trace events read back into a tree), conditions (the drafter's words with the values written in), reasons (the
rules, exceptions and alternatives of each outcome), skipped (why a rule the evaluation skipped could not apply),
counterfactual (the smallest change of one fact that changes the decision), model (the frozen Explanation), format
(values in each language), render (Jinja templates per format, words per language), command (`statute explain` and
`statute run --explain`).
"""
