"""Built-in checks, one module each; `auditor.rubric.registry.CHECKS` names them all."""
