"""Column-wise validation (issue 18): a collection's records checked in bulk against what its model
accepts (`fields`, `screen`, `model_checks`), suspect rows worded by the model (`rows`), and the dataset
checks over the tables (`integrity`); every problem placed as the loader places it (`problems`)."""
