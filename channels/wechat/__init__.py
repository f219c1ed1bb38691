"""WeChat: the official account (``wechat_oa``) and the mini-program (``wechat_mini``).

Both accounts share WeChat's message crypto, API client and access-token store, so they live
in one package with one module per channel (``oa``, ``mini``).
"""
