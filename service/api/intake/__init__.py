"""What the mobile apps send and read back: ratings, messages and ratings' integrity flags."""
