"""The WeChat mini-program channel (``wechat_mini``)."""
