"""A message's handling steps, a 差评's rectification, appeals, and the supervision lists of
what runs late."""
