"""The `statute` command's families, argument parsing and printing only: each module registers its commands with
`add_parser(commands)` and prints what the library modules it calls return (compiler/commands/cli.py is the entry
point).

Exit codes: 0 all well, 1 a statute or case error (diagnostics printed), 2 a usage error.
"""
