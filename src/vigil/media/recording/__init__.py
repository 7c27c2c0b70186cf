"""Recording: copy-mode segment files, their index, gaps with causes, plans, retention and locks."""
