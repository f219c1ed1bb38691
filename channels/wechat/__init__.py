"""WeChat: the official account (``wechat_oa``) and the mini-program (``wechat_mini``).

Both apps share WeChat's message crypto, API client and access-token store, so they live in one
package: ``oa`` (the account's message endpoint), ``notify`` (subscribe and template messages,
one notifier per app), ``login`` (``jscode2session`` and web OAuth), ``api`` + ``access_tokens``
(the API client and its shared token), ``crypto`` + ``wire`` (message encryption and XML).
"""
