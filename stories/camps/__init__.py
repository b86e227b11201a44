"""Story camps: camps and joining, signifiers, selection rounds, the wall and the camp report."""
