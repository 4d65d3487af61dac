"""A message's steps and their events, a 差评's rectification case, and appeals: each step
written with its event and its facts' marks in one transaction."""
