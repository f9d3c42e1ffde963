import SRTensor
