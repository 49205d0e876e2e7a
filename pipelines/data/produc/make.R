# Export the Produc panel (48 US states, 1970-1986) from R's plm package to
# pipelines/data/produc.csv. Run from anywhere:
#   Rscript pipelines/data/produc/make.R
# The data are public: Munnell (1990), as distributed with Baltagi's textbook and the
# plm package (see README.md beside this script). The output is plain CSV, UTF-8, "\n"
# line ends, columns in plm's order, numbers with up to 15 significant digits so every
# value round-trips exactly.
suppressPackageStartupMessages(library(plm))

args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(file_arg) == 1) dirname(normalizePath(file_arg)) else getwd()
out <- file.path(here, "..", "produc.csv")

data("Produc", package = "plm")
d <- Produc
d$state <- as.character(d$state)          # factor -> state name, e.g. "ALABAMA"
d$region <- as.integer(as.character(d$region))
d <- d[order(d$state, d$year), ]
stopifnot(nrow(d) == 816, length(unique(d$state)) == 48, all(range(d$year) == c(1970, 1986)))
stopifnot(!anyNA(d))

con <- file(out, open = "wb")
write.csv(d, con, row.names = FALSE, quote = FALSE, eol = "\n")
close(con)
cat(sprintf("wrote %s: %d rows, %d columns (plm %s, %s)\n", normalizePath(out), nrow(d), ncol(d),
            as.character(packageVersion("plm")), R.version.string))
