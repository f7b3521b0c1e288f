"""Applications sent online: the contract, the receiver a council runs (`ctkit receive`), and its inbox.

The receiver checks each submission, encrypts it to the SPOC's public key (age, through pyrage) and
writes it into the inbox folder; only the SPOC's computer, holding the private key, can open it
again (`inbox.open_arrival`), for `ctkit case open --inbox`.
"""
