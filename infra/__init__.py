"""Everything that is not the product itself, one sub-package per job:

- ``infra.deploy`` — the CloudFormation resources and ``make package`` (Chalice + merge template);
- ``infra.local`` — ``make run``: moto, the API, the local world and the queue pump on loopback;
- ``infra.world`` — the local world: WeChat, Alipay and the SMS provider as their docs describe them;
- ``infra.bench`` — ``make bench``: figures as ratios against floors measured in the same run;
- ``infra.ops`` — operator commands (signed calls to the backend API).
"""
