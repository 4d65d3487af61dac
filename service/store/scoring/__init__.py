"""Rows waiting for their scores (queue mode) and their scores written exactly once; rows
scored by an older model read and re-scored a batch at a time; replies judged for their
quality, with what later replies are compared with."""
