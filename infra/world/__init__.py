"""The local world: the platforms Minqing talks to (WeChat, Alipay, the SMS provider), each rule citing
its source, written independently of the product's code."""
