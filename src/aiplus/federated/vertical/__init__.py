"""Vertical federated learning: a bank and an insurer hold different columns of shared customers.

``psi`` aligns the customers without revealing the ones they do not share; ``logistic``
trains one logistic regression across both column sets under Paillier encryption.
"""
