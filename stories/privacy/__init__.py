"""Privacy: finding personal data (rules, names, the NER model), pseudonymisation, evaluation."""
