"""The reference interpreter: the checked statute (compiler/model/ir.py) decided by walking it, the oracle the generated
module is tested against (tests/test_differential.py) and `statute run --engine interpreter`.

values.py holds its own days, durations (in normal form), money and rounding; read.py reads a case and the model's
literals into them; evaluate.py walks expressions; decide.py applies default logic to rules and exceptions and gives
the decision as the module's `decision_as_dict` does; examples.py runs the statute's examples; engine.py puts the
interpreter in the module's place for `statute run`. Nothing here imports the generated module's runtime
(compiler/backends): the two are independent readings of docs/language.md, written here for clarity rather than
speed.
"""
