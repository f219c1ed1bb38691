"""Alipay city service / mini-program (``alipay``): login, subscription messages, RSA2 everywhere."""
