"""The per-object evaluation, retired from the product (issue 18) and kept as the tests' oracle: `engine` audits
rule by rule and subject by subject over model records, `kinds` evaluates each check kind for one subject, `probe`
records the coverage items the per-object checks reach; `loading` is the per-object loader and `integrity` its
dataset checks, the oracle of column-wise loading and validation. The package never imports it."""
