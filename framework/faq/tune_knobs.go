package faq

// TEMPORARY experiment knobs.
var (
	knobMixed   = 1.0 // weight of a bigram with one stop character
	knobSeam    = 0.5 // oovBigramFactor for OOV bigram of known chars
	knobOOVBi   = 0.5 // oovBigramFactor for OOV bigram with an unknown char
	knobPivot   = 0.0 // self-score pivot: 0 off; else multiple of average doc self
	knobGamma   = 1.0 // exponent above pivot
	knobShort   = 0.0 // doc self floor as fraction of average doc self
	knobAgg     = 0.0 // weight of entry union coverage
	knobMid     = 0.0 // moderate score with big lead
	knobBigLead = 1.0
)
