"""Detection: a model's raw outputs decoded into labelled boxes in source pixels."""
